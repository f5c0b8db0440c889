package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays the REST requests and WebSocket opens/closes of a recorded transcript against the
 * simulator on a manual clock (advanced by the recorded time between requests), then compares
 * statuses, error bodies and, per channel / playback / recording / bridge, the order of the
 * non-noise events with the recording.
 */
final class TranscriptReplay {
  static final Set<String> NOISE = Set.of("ChannelVarset", "ChannelDialplan", "ChannelCallerId",
      "ChannelConnectedLine", "DeviceStateChanged");

  private final List<JsonNode> lines = new ArrayList<>();
  private final Set<String> racyKeys;
  final List<String> mismatches = new ArrayList<>();
  DatagramSocket rtpSink;

  TranscriptReplay(String file, Set<String> racyKeys) throws IOException {
    Path p = org.switchboard.asterisk.ari.Transcripts.dir().resolve(file);
    for (String l : Files.readAllLines(p)) {
      if (!l.isBlank()) {
        lines.add(SimTestClient.JSON.readTree(l));
      }
    }
    this.racyKeys = racyKeys;
  }

  static SimConfig config(Path recordings) {
    return SimConfig.defaults().withCredentials("llamenos", "changeme")
        .withApp("llamenos", "llamenos-in")
        .withClock(SimClock.manual(Instant.parse("2026-11-22T02:04:01.459Z")))
        .withRecordingsDir(recordings);
  }

  /** Runs the transcript; returns the simulator's sockets by recorded connection number. */
  Map<Integer, SimTestClient.Events> run(AriSimulator sim, SimTestClient client)
      throws IOException {
    Map<Integer, SimTestClient.Events> sockets = new LinkedHashMap<>();
    double lastT = -1;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode l = lines.get(i);
      String type = l.path("type").asText();
      double t = l.path("t_ms").asDouble();
      switch (type) {
        case "ws_connect" -> {
          String url = l.path("url").asText();
          sockets.put(l.path("conn").asInt(),
              client.connect("llamenos", url.contains("subscribeAll=true")));
        }
        case "ws_client_close_request" -> {
          SimTestClient.Events s = sockets.get(l.path("conn").asInt());
          awaitDelivered(sim, sockets);
          s.close();
          SimTestClient.awaitTrue(() -> s.closed, "socket closed");
          if (!s.types().contains("ApplicationReplaced")) {
            SimTestClient.awaitTrue(() -> sim.applications().isEmpty(), "app unregistered");
          }
        }
        case "rest_request" -> {
          if (lastT >= 0 && t > lastT) {
            sim.clock().advance(Duration.ofNanos((long) ((t - lastT) * 1_000_000)));
          }
          lastT = t;
          JsonNode response = responseFor(i, l.path("id").asText());
          send(client, l, response);
        }
        default -> {
          // notes, responses and events are compared afterwards
        }
      }
    }
    double end = lines.get(lines.size() - 1).path("t_ms").asDouble();
    if (end > lastT) {
      sim.clock().advance(Duration.ofNanos((long) ((end - lastT) * 1_000_000)));
    }
    awaitDelivered(sim, sockets);
    return sockets;
  }

  private static void awaitDelivered(AriSimulator sim, Map<Integer, SimTestClient.Events> s) {
    int total = sim.log().events().size();
    SimTestClient.awaitTrue(() -> s.values().stream().mapToInt(e -> e.received.size())
        .sum() >= total, "all events delivered");
  }

  private JsonNode responseFor(int from, String id) {
    for (int j = from + 1; j < lines.size(); j++) {
      JsonNode l = lines.get(j);
      if (l.path("type").asText().equals("rest_response") && l.path("id").asText().equals(id)) {
        return l;
      }
    }
    throw new IllegalStateException("no response for request " + id);
  }

  private void send(SimTestClient client, JsonNode req, JsonNode expected) {
    String method = req.path("method").asText();
    String path = req.path("path").asText();
    Map<String, Object> query = new LinkedHashMap<>();
    req.path("query").fields().forEachRemaining(f -> query.put(f.getKey(), f.getValue().asText()));
    if (rtpSink != null && query.containsKey("external_host")) {
      query.put("external_host", "127.0.0.1:" + rtpSink.getLocalPort());
    }
    String body = null;
    if (req.has("body_raw")) {
      body = req.path("body_raw").asText();
    } else if (req.hasNonNull("body")) {
      body = req.path("body").toString();
    }
    int status = expected.path("status").asInt();
    SimTestClient.Response r = client.send(method, path, query, body, status != 401);
    String what = method + " " + path + " " + query;
    if (r.status() != status) {
      mismatches.add(what + ": status " + r.status() + " expected " + status + " body "
          + r.body());
    } else if (status >= 400 && !expected.path("body").equals(r.body())) {
      mismatches.add(what + ": body " + r.body() + " expected " + expected.path("body"));
    }
  }

  /** Per connection and key, the recorded event sequences. */
  Map<String, List<String>> expected() {
    Map<String, List<String>> m = new TreeMap<>();
    for (JsonNode l : lines) {
      if (l.path("type").asText().equals("ws_event")) {
        add(m, l.path("conn").asInt(), l.path("event"));
      }
    }
    return m;
  }

  /** Per connection and key, the sequences the simulator sent. */
  static Map<String, List<String>> actual(Map<Integer, SimTestClient.Events> sockets) {
    Map<String, List<String>> m = new TreeMap<>();
    sockets.forEach((conn, s) -> s.received.forEach(e -> add(m, conn, e)));
    return m;
  }

  private static void add(Map<String, List<String>> m, int conn, JsonNode e) {
    String type = e.path("type").asText();
    if (NOISE.contains(type)) {
      return;
    }
    String key;
    String item = type;
    if (e.has("playback")) {
      key = "playback:" + e.path("playback").path("id").asText();
      item += "(" + e.path("playback").path("state").asText() + ")";
    } else if (e.has("recording")) {
      key = "recording:" + e.path("recording").path("name").asText();
    } else if (e.has("bridge")) {
      key = "bridge:" + e.path("bridge").path("id").asText();
      if (e.has("channel")) {
        item += "(" + e.path("channel").path("id").asText() + ")";
      }
    } else if (type.equals("Dial")) {
      key = "dial:" + e.path("peer").path("id").asText();
      item += "(" + e.path("dialstatus").asText() + ")";
    } else if (e.has("channel")) {
      key = "channel:" + e.path("channel").path("id").asText();
      switch (type) {
        case "ChannelStateChange" -> item += "(" + e.path("channel").path("state").asText() + ")";
        case "ChannelDestroyed" -> item += "(" + e.path("cause").asInt() + ")";
        case "ChannelHangupRequest" -> item += "(" + e.path("cause").asInt()
            + (e.path("soft").asBoolean() ? ",soft" : "") + ")";
        case "ChannelDtmfReceived" -> item += "(" + e.path("digit").asText() + ")";
        default -> {
          // type alone
        }
      }
    } else {
      key = "app";
    }
    if (key.matches(".*:\\d+\\.\\d+(;2)?")) {
      return;
    }
    m.computeIfAbsent("conn" + conn + " " + key, k -> new ArrayList<>()).add(item);
  }

  /** Asserts statuses, bodies and event order match the recording. */
  void assertMatches(Map<Integer, SimTestClient.Events> sockets) {
    Map<String, List<String>> want = expected();
    Map<String, List<String>> got = actual(sockets);
    for (String key : racyKeys) {
      want.computeIfPresent(key, (k, v) -> sorted(v));
      got.computeIfPresent(key, (k, v) -> sorted(v));
    }
    List<String> diffs = new ArrayList<>(mismatches);
    for (String key : union(want, got)) {
      List<String> w = want.getOrDefault(key, List.of());
      List<String> g = got.getOrDefault(key, List.of());
      if (!w.equals(g)) {
        diffs.add(key + "\n    expected " + w + "\n    actual   " + g);
      }
    }
    assertEquals("", String.join("\n", diffs));
  }

  private static List<String> sorted(List<String> l) {
    List<String> c = new ArrayList<>(l);
    c.sort(null);
    return c;
  }

  private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    Set<String> s = new java.util.TreeSet<>(a.keySet());
    s.addAll(b.keySet());
    return s;
  }
}
