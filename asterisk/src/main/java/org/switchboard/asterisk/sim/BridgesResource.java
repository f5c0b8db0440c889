package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /ari/bridges…}. Runs under the core's lock. */
final class BridgesResource {
  private final SimCore core;

  BridgesResource(SimCore core) {
    this.core = core;
  }

  AriRequest.Reply handle(AriRequest r) {
    int n = r.segments().size();
    Bridging bridging = core.bridging;
    if (n == 1) {
      ChannelsResource.allow(r, "GET", "POST");
      if (r.method().equals("GET")) {
        ArrayNode list = AriJson.array();
        core.bridges.values().forEach(b -> list.add(AriJson.bridge(b)));
        return AriRequest.Reply.json(200, list);
      }
      return AriRequest.Reply.json(200, AriJson.bridge(
          bridging.create(r.param("bridgeId"), r.param("type"), r.param("name"))));
    }
    String id = r.seg(1);
    if (n == 2) {
      ChannelsResource.allow(r, "GET", "POST", "DELETE");
      switch (r.method()) {
        case "POST":
          if (core.bridges.containsKey(id)) {
            return AriRequest.Reply.json(200, AriJson.bridge(core.bridges.get(id)));
          }
          return AriRequest.Reply.json(200, AriJson.bridge(
              bridging.create(id, r.param("type"), r.param("name"))));
        case "GET":
          return AriRequest.Reply.json(200, AriJson.bridge(bridging.bridge(id)));
        default:
          bridging.destroy(bridging.bridge(id));
          return AriRequest.Reply.noContent();
      }
    }
    String op = r.seg(2);
    if (n == 4 && op.equals("play")) {
      ChannelsResource.allow(r, "POST");
      return play(r, bridging.bridge(id), r.seg(3));
    }
    if (n != 3) {
      throw AriError.of(404, "Resource not found");
    }
    switch (op) {
      case "addChannel", "removeChannel", "play", "record" -> ChannelsResource.allow(r, "POST");
      case "moh" -> ChannelsResource.allow(r, "POST", "DELETE");
      default -> throw AriError.of(404, "Resource not found");
    }
    SimBridge b = bridging.bridge(id);
    switch (op) {
      case "addChannel" -> bridging.add(b, r.param("channel"));
      case "removeChannel" -> bridging.remove(b, r.param("channel"));
      case "play" -> {
        return play(r, b, r.param("playbackId"));
      }
      case "record" -> {
        SimRecording rec = core.media.recorder.start("bridge:" + b.id, r.param("name"),
            r.param("format"), r.intParam("maxDurationSeconds", 0),
            r.intParam("maxSilenceSeconds", 0), r.param("terminateOn"), r.param("ifExists"),
            false);
        ObjectNode view = AriJson.recording(rec);
        view.put("state", "queued");
        return AriRequest.Reply.json(201, view);
      }
      default -> b.mohActive = r.method().equals("POST");
    }
    return AriRequest.Reply.noContent();
  }

  private AriRequest.Reply play(AriRequest r, SimBridge b, String playbackId) {
    SimPlayback p = core.media.play("bridge:" + b.id, ChannelsResource.mediaList(r), playbackId);
    return AriRequest.Reply.json(201, p.queuedView);
  }
}
