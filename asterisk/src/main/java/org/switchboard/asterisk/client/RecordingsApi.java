package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.DELETE;
import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.apache.pekko.http.javadsl.model.HttpMethods.POST;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.ari.LiveRecording;
import org.switchboard.asterisk.ari.StoredRecording;

/** {@code /recordings}: live recordings and the stored files they leave on Asterisk. */
public final class RecordingsApi {
  private final AriHttp http;

  RecordingsApi(AriHttp http) {
    this.http = http;
  }

  public CompletionStage<LiveRecording> getLive(String name) {
    return http.json(
        GET, "GET /recordings/live/{name}", "/recordings/live/" + seg(name), Map.of(),
        LiveRecording.class);
  }

  /** Stops and keeps the file; {@code RecordingFinished} follows. */
  public CompletionStage<Done> stopLive(String name) {
    return http.command(
        POST, "POST /recordings/live/{name}/stop", "/recordings/live/" + seg(name) + "/stop",
        Map.of());
  }

  /** Pauses ({@code POST …/pause}) or resumes ({@code DELETE …/pause}) a live recording. */
  public CompletionStage<Done> pauseLive(String name, boolean paused) {
    return http.command(paused ? POST : DELETE,
        (paused ? "POST" : "DELETE") + " /recordings/live/{name}/pause",
        "/recordings/live/" + seg(name) + "/pause", Map.of());
  }

  public CompletionStage<List<StoredRecording>> listStored() {
    return http.jsonList("GET /recordings/stored", "/recordings/stored", StoredRecording.class);
  }

  public CompletionStage<StoredRecording> getStored(String name) {
    return http.json(
        GET, "GET /recordings/stored/{name}", "/recordings/stored/" + seg(name), Map.of(),
        StoredRecording.class);
  }

  /** The recording's bytes as Asterisk serves them (e.g. a WAV file). */
  public CompletionStage<byte[]> storedFile(String name) {
    return http.binary(
        "GET /recordings/stored/{name}/file", "/recordings/stored/" + seg(name) + "/file");
  }

  public CompletionStage<Done> deleteStored(String name) {
    return http.command(
        DELETE, "DELETE /recordings/stored/{name}", "/recordings/stored/" + seg(name), Map.of());
  }
}
