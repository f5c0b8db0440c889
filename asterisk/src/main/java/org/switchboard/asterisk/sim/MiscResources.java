package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /ari/asterisk}, {@code /applications}, {@code /playbacks}, {@code /recordings}. */
final class MiscResources {
  private final SimCore core;
  private final Instant startup;

  MiscResources(SimCore core) {
    this.core = core;
    this.startup = core.clock.now();
  }

  AriRequest.Reply asterisk(AriRequest r) {
    if (r.is(null, "asterisk", "ping")) {
      ChannelsResource.allow(r, "GET");
      return AriRequest.Reply.json(200, AriJson.object().put("asterisk_id", core.config.asteriskId())
          .put("ping", "pong").put("timestamp", AriJson.time(core.clock.now())));
    }
    if (r.segments().size() >= 3 && r.seg(1).equals("config") && r.seg(2).equals("dynamic")) {
      return core.dynamicConfig.handle(r);
    }
    if (!r.is(null, "asterisk", "info")) {
      throw AriError.of(404, "Resource not found");
    }
    ChannelsResource.allow(r, "GET");
    ObjectNode info = AriJson.object();
    info.putObject("build").put("os", "Linux").put("kernel", System.getProperty("os.version"))
        .put("options", "BUILD_NATIVE, OPTIONAL_API").put("machine", "x86_64")
        .put("date", "2026-11-22 00:00:00 UTC").put("user", "switchboard-sim");
    info.putObject("system").put("version", "22.10.1").put("entity_id", core.config.asteriskId());
    ObjectNode config = info.putObject("config");
    config.put("name", "switchboard-ari-sim").put("default_language", "en");
    config.putObject("setid").put("user", "asterisk").put("group", "asterisk");
    info.putObject("status").put("startup_time", AriJson.time(startup))
        .put("last_reload_time", AriJson.time(startup));
    String only = r.param("only");
    if (only != null) {
      Set<String> keep = Set.of(only.split(","));
      info.retain(new ArrayList<>(keep));
    }
    return AriRequest.Reply.json(200, info);
  }

  AriRequest.Reply applications(AriRequest r) {
    int n = r.segments().size();
    if (n == 1) {
      ChannelsResource.allow(r, "GET");
      ArrayNode list = AriJson.array();
      core.hub.appNames().forEach(a -> list.add(describe(a)));
      return AriRequest.Reply.json(200, list);
    }
    String app = r.seg(1);
    if (n == 2) {
      ChannelsResource.allow(r, "GET");
      return AriRequest.Reply.json(200, describe(app));
    }
    if (n == 3 && r.seg(2).equals("subscription")) {
      ChannelsResource.allow(r, "POST", "DELETE");
      describe(app);
      String source = r.param("eventSource");
      if (source == null) {
        throw AriError.of(400, "Missing parameter eventSource");
      }
      for (String s : source.split(",")) {
        String id = s.substring(s.indexOf(':') + 1);
        boolean exists = s.startsWith("channel:") ? core.channels.containsKey(id)
            : s.startsWith("bridge:") && core.bridges.containsKey(id);
        if (!exists) {
          throw AriError.of(422, "Event source does not exist");
        }
        if (r.method().equals("POST")) {
          core.hub.subscribe(app, id);
        } else {
          core.hub.forgetFor(app, id);
        }
      }
      return AriRequest.Reply.json(200, describe(app));
    }
    throw AriError.of(404, "Resource not found");
  }

  private ObjectNode describe(String app) {
    List<String> stasis = new ArrayList<>();
    core.channels.values().stream().filter(c -> app.equals(c.stasisApp))
        .forEach(c -> stasis.add(c.id));
    ObjectNode n = core.hub.describe(app, stasis, core.bridges.keySet());
    if (n == null) {
      throw AriError.of(404, "Application not found");
    }
    return n;
  }

  AriRequest.Reply playbacks(AriRequest r) {
    int n = r.segments().size();
    if (n < 2 || n > 3 || (n == 3 && !r.seg(2).equals("control"))) {
      throw AriError.of(404, "Resource not found");
    }
    ChannelsResource.allow(r, n == 2 ? new String[] {"GET", "DELETE"} : new String[] {"POST"});
    SimPlayback p = core.playbacks.get(r.seg(1));
    if (p == null) {
      throw AriError.of(404, "Playback not found");
    }
    if (n == 3) {
      core.media.control(p, r.param("operation"));
      return AriRequest.Reply.noContent();
    }
    if (r.method().equals("GET")) {
      return AriRequest.Reply.json(200, AriJson.playback(p));
    }
    core.media.stop(p);
    return AriRequest.Reply.noContent();
  }

  AriRequest.Reply recordings(AriRequest r) {
    int n = r.segments().size();
    Recorder rec = core.media.recorder;
    if (n >= 2 && r.seg(1).equals("stored")) {
      if (n == 2) {
        ChannelsResource.allow(r, "GET");
        return AriRequest.Reply.json(200, rec.listStored());
      }
      String name = String.join("/", r.segments().subList(2, n));
      String last = r.seg(n - 1);
      if (n >= 4 && last.equals("file") && r.method().equals("GET")) {
        name = String.join("/", r.segments().subList(2, n - 1));
        Path p = rec.storedFile(name).orElseThrow(() -> AriError.of(404, "Recording not found"));
        try {
          return new AriRequest.Reply(200, null, Files.readAllBytes(p));
        } catch (IOException e) {
          throw AriError.of(500, "Recording could not be read");
        }
      }
      if (n >= 4 && last.equals("copy")) {
        ChannelsResource.allow(r, "POST");
        name = String.join("/", r.segments().subList(2, n - 1));
        return AriRequest.Reply.json(200, rec.copyStored(name, r.param("destinationRecordingName")));
      }
      ChannelsResource.allow(r, "GET", "DELETE");
      if (r.method().equals("GET")) {
        return AriRequest.Reply.json(200, rec.storedView(name));
      }
      rec.deleteStored(name);
      return AriRequest.Reply.noContent();
    }
    if (n < 3 || n > 4 || !r.seg(1).equals("live")) {
      throw AriError.of(404, "Resource not found");
    }
    String op = n == 4 ? r.seg(3) : "";
    switch (op) {
      case "" -> ChannelsResource.allow(r, "GET", "DELETE");
      case "stop" -> ChannelsResource.allow(r, "POST");
      case "pause", "mute" -> ChannelsResource.allow(r, "POST", "DELETE");
      default -> throw AriError.of(404, "Resource not found");
    }
    SimRecording live = core.recordings.get(r.seg(2));
    if (live == null) {
      throw AriError.of(404, "Recording not found");
    }
    boolean on = r.method().equals("POST");
    switch (op) {
      case "" -> {
        if (r.method().equals("GET")) {
          return AriRequest.Reply.json(200, AriJson.recording(live));
        }
        rec.finish(live, "canceled");
        rec.discard(live);
      }
      case "stop" -> rec.finish(live, "done");
      case "pause" -> {
        live.paused = on;
        live.state = on ? "paused" : "recording";
      }
      default -> live.muted = on;
    }
    return AriRequest.Reply.noContent();
  }
}
