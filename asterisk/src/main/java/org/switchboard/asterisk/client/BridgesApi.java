package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.DELETE;
import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.apache.pekko.http.javadsl.model.HttpMethods.POST;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.ari.Bridge;
import org.switchboard.asterisk.ari.LiveRecording;
import org.switchboard.asterisk.ari.Playback;
import org.switchboard.engine.port.AriPort.RecordRequest;

/** {@code /bridges}: create, membership, media and recording of bridges. */
public final class BridgesApi {
  private final AriHttp http;

  BridgesApi(AriHttp http) {
    this.http = http;
  }

  /** {@code POST /bridges?type=…&bridgeId=…&name=…}, e.g. type {@code mixing,dtmf_events}. */
  public CompletionStage<Bridge> create(String bridgeId, String type, String name) {
    return http.json(
        POST,
        "POST /bridges",
        "/bridges",
        Params.of("type", type, "bridgeId", bridgeId, "name", name),
        Bridge.class);
  }

  public CompletionStage<Bridge> get(String id) {
    return http.json(GET, "GET /bridges/{id}", "/bridges/" + seg(id), Map.of(), Bridge.class);
  }

  public CompletionStage<List<Bridge>> list() {
    return http.jsonList("GET /bridges", "/bridges", Bridge.class);
  }

  /** {@code POST /bridges/{id}/addChannel?channel=a,b} (one request for the whole list). */
  public CompletionStage<Done> addChannels(String id, List<String> channelIds) {
    return http.command(
        POST,
        "POST /bridges/{id}/addChannel",
        path(id, "addChannel"),
        Params.of("channel", Params.list(channelIds)));
  }

  /** {@code POST /bridges/{id}/addChannel?channel=c&mute=true}: the bridge does not hear it. */
  public CompletionStage<Done> addChannelMuted(String id, String channelId) {
    return http.command(
        POST,
        "POST /bridges/{id}/addChannel",
        path(id, "addChannel"),
        Params.of("channel", channelId, "mute", "true"));
  }

  public CompletionStage<Done> removeChannel(String id, String channelId) {
    return http.command(
        POST,
        "POST /bridges/{id}/removeChannel",
        path(id, "removeChannel"),
        Params.of("channel", channelId));
  }

  public CompletionStage<Done> destroy(String id) {
    return http.command(DELETE, "DELETE /bridges/{id}", "/bridges/" + seg(id), Map.of());
  }

  /** {@code POST /bridges/{id}/play?media=a,b&playbackId=…}. */
  public CompletionStage<Playback> play(String id, String playbackId, List<String> media) {
    return http.json(
        POST,
        "POST /bridges/{id}/play",
        path(id, "play"),
        Params.of("media", Params.list(media), "playbackId", playbackId),
        Playback.class);
  }

  public CompletionStage<Done> startMoh(String id, String mohClass) {
    return http.command(
        POST, "POST /bridges/{id}/moh", path(id, "moh"), Params.of("mohClass", mohClass));
  }

  public CompletionStage<Done> stopMoh(String id) {
    return http.command(DELETE, "DELETE /bridges/{id}/moh", path(id, "moh"), Map.of());
  }

  /** {@code POST /bridges/{id}/record}: records the bridge's mix. */
  public CompletionStage<LiveRecording> record(String id, RecordRequest request) {
    return http.json(
        POST,
        "POST /bridges/{id}/record",
        path(id, "record"),
        ChannelsApi.recordParams(request),
        LiveRecording.class);
  }

  private static String path(String id, String action) {
    return "/bridges/" + seg(id) + "/" + action;
  }
}
