package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The {@code /sim/...} control endpoints (JSON), so scripts and other processes can drive the
 * simulator the way tests do through {@link AriSimulator}. See SIMULATOR.md for the list.
 */
final class ControlApi {
  private static final System.Logger LOG = System.getLogger(ControlApi.class.getName());
  private final AriSimulator sim;

  ControlApi(AriSimulator sim) {
    this.sim = sim;
  }

  HttpResponse handle(String method, String path, String body, java.util.Map<String, String> query) {
    try {
      JsonNode json = body.isBlank() ? AriJson.object() : AriJson.MAPPER.readTree(body);
      String[] p = path.substring("/sim/".length()).split("/");
      String route = method + " " + (p.length > 0 ? p[0] : "");
      return switch (route) {
        case "POST calls" -> ok(AriJson.object().put("channelId",
            sim.inboundCall(text(json, "from"), text(json, "to"))));
        case "POST channels" -> channelOp(p, json);
        case "POST sockets" -> {
          long ms = query.containsKey("ms") ? Long.parseLong(query.get("ms"))
              : json.path("ms").asLong(0);
          if (ms < 0) {
            throw new IllegalArgumentException("ms must be >= 0");
          }
          sim.dropSockets(Duration.ofMillis(ms));
          yield ok(AriJson.object().put("dropped", true).put("ms", ms));
        }
        case "POST faults" -> {
          sim.injectFault(fault(json));
          yield ok(AriJson.object().put("armed", true));
        }
        case "DELETE faults" -> {
          sim.clearFaults();
          yield ok(AriJson.object().put("cleared", true));
        }
        case "GET state" -> ok(state());
        case "GET requests" -> {
          ArrayNode requests = AriJson.array();
          for (SimLog.Request r : sim.log().requests()) {
            requests.add(AriJson.object().put("at", r.at().toString()).put("method", r.method())
                .put("path", r.path()).put("query", r.query()).put("body", r.body())
                .put("status", r.status()));
          }
          yield ok(requests);
        }
        case "GET events" -> ok(events(sim.log().events()));
        case "GET missed" -> ok(events(sim.log().missed()));
        case "GET dial-rules" -> ok(rules());
        case "POST dial-rules" -> {
          sim.addDialRule(new DialRule(text(json, "pattern"),
              DialBehaviour.parse(text(json, "behaviour"))));
          yield ok(rules());
        }
        case "DELETE dial-rules" -> {
          sim.clearDialRules();
          yield ok(rules());
        }
        case "POST clock" -> {
          if (!sim.clock().isManual()) {
            yield SimHttpServer.json(409, AriJson.message("the clock is real time"));
          }
          sim.clock().advance(Duration.ofMillis(json.path("ms").asLong()));
          yield ok(AriJson.object().put("now", AriJson.time(sim.clock().now())));
        }
        case "GET rtp" -> {
          AriSimulator.RtpView v = p.length > 1 ? sim.rtp(p[1]) : null;
          if (v == null) {
            yield SimHttpServer.json(404, AriJson.message("No external media channel"));
          }
          yield ok(AriJson.object().put("channelId", v.channelId())
              .put("localPort", v.localPort()).put("packetsSent", v.packetsSent())
              .put("packetsReceived", v.packetsReceived())
              .put("sent", Base64.getEncoder().encodeToString(v.sent()))
              .put("received", Base64.getEncoder().encodeToString(v.received())));
        }
        default -> SimHttpServer.json(404, AriJson.message("Unknown control path " + path));
      };
    } catch (AriError e) {
      return SimHttpServer.json(e.status, e.body);
    } catch (IllegalArgumentException | java.io.IOException e) {
      LOG.log(System.Logger.Level.WARNING, "bad control request {0} {1}: {2}", method, path,
          e.getMessage());
      return SimHttpServer.json(400, AriJson.message(String.valueOf(e.getMessage())));
    }
  }

  private HttpResponse channelOp(String[] p, JsonNode json) {
    if (p.length != 3) {
      return SimHttpServer.json(404, AriJson.message("Unknown control path"));
    }
    String id = p[1];
    switch (p[2]) {
      case "dtmf" -> sim.pressDtmf(id, text(json, "digits"));
      case "hangup" -> sim.callerHangup(id);
      case "answer" -> sim.answerLeg(id);
      case "speak" -> {
        if (json.hasNonNull("wav")) {
          sim.speak(id, java.util.Base64.getDecoder().decode(json.get("wav").asText()));
        } else {
          sim.speak(id, Duration.ofMillis(json.path("ms").asLong(1000)));
        }
      }
      default -> {
        return SimHttpServer.json(404, AriJson.message("Unknown channel operation " + p[2]));
      }
    }
    return ok(AriJson.object().put("ok", true));
  }

  private ObjectNode state() {
    ObjectNode s = AriJson.object();
    s.set("channels", AriJson.MAPPER.valueToTree(sim.channels()));
    s.set("bridges", AriJson.MAPPER.valueToTree(sim.bridges()));
    s.set("playbacks", AriJson.MAPPER.valueToTree(sim.playbacks()));
    s.set("liveRecordings", AriJson.MAPPER.valueToTree(sim.liveRecordings()));
    s.set("storedRecordings", AriJson.MAPPER.valueToTree(sim.storedRecordings()));
    s.set("applications", AriJson.MAPPER.valueToTree(sim.applications()));
    return s;
  }

  private static ArrayNode events(java.util.List<SimLog.Event> logged) throws java.io.IOException {
    ArrayNode events = AriJson.array();
    for (SimLog.Event e : logged) {
      ObjectNode n = (ObjectNode) AriJson.MAPPER.readTree(e.json());
      if (!n.has("application")) {
        n.put("application", e.app());
      }
      events.add(n);
    }
    return events;
  }

  private ArrayNode rules() {
    ArrayNode a = AriJson.array();
    sim.dialRules().forEach(r -> a.add(AriJson.object().put("pattern", r.pattern())
        .put("behaviour", r.behaviour().spec())));
    return a;
  }

  /**
   * The fault a {@code POST /sim/faults} body describes: {@code method}, {@code path} (glob under
   * {@code /ari}), {@code times} (1), then {@code status}, or {@code noAnswer: true}, or {@code
   * lateMs} (the request runs that late, {@link SimFault#late}).
   */
  private static SimFault fault(JsonNode json) {
    String method = text(json, "method");
    String path = text(json, "path");
    int times = json.path("times").asInt(1);
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1");
    }
    if (json.hasNonNull("lateMs")) {
      long ms = json.get("lateMs").asLong();
      if (ms <= 0) {
        throw new IllegalArgumentException("lateMs must be > 0");
      }
      return SimFault.late(method, path, times, Duration.ofMillis(ms));
    }
    if (json.path("noAnswer").asBoolean(false)) {
      return SimFault.noAnswer(method, path, times);
    }
    int status = json.path("status").asInt(0);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a fault needs status 400..599, noAnswer or lateMs");
    }
    return SimFault.status(method, path, times, status);
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n == null || n.asText().isEmpty()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return n.asText();
  }

  private static HttpResponse ok(JsonNode body) {
    return SimHttpServer.json(200, body);
  }
}
