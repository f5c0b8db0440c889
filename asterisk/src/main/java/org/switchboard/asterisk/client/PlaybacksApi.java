package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.DELETE;
import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.apache.pekko.http.javadsl.model.HttpMethods.POST;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.ari.Playback;

/** {@code /playbacks}: state, stop and control of a playback. */
public final class PlaybacksApi {
  private final AriHttp http;

  PlaybacksApi(AriHttp http) {
    this.http = http;
  }

  public CompletionStage<Playback> get(String id) {
    return http.json(GET, "GET /playbacks/{id}", "/playbacks/" + seg(id), Map.of(), Playback.class);
  }

  /** Stops it; Asterisk still reports {@code PlaybackFinished} with state {@code done}. */
  public CompletionStage<Done> stop(String id) {
    return http.command(DELETE, "DELETE /playbacks/{id}", "/playbacks/" + seg(id), Map.of());
  }

  /** {@code operation}: restart, pause, unpause, reverse or forward. */
  public CompletionStage<Done> control(String id, String operation) {
    return http.command(
        POST,
        "POST /playbacks/{id}/control",
        "/playbacks/" + seg(id) + "/control",
        Params.of("operation", operation));
  }
}
