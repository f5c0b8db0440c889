package org.switchboard.http.realasterisk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import org.switchboard.asterisk.sim.AmdOutcome;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.engine.ring.AmdDialplan;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * The same scenarios, driven over ARI by a bare application, on the simulator and on a real
 * Asterisk: the events the application receives (type, order per channel/playback/bridge, key
 * fields) and the REST status codes must match, except for the differences listed in {@link
 * #ALLOWED} with their reason.
 */
@Tag(RealAsterisk.TAG)
class AriFidelityTest {
  /** A difference we accept: a pattern over a diff line ({@code real: …} / {@code sim: …}). */
  record Allowed(Pattern line, String reason) {}

  static final List<Allowed> ALLOWED = List.of(
      new Allowed(Pattern.compile("^real: \\S+-(in|far) Channel(Dialplan|CallerId) "),
          "the far half of a test Local pair runs the [phones] dialplan; when its next application"
              + " starts depends on Answer()'s media wait; Switchboard ignores both event types"),
      new Allowed(Pattern.compile("^real: \\S+ (ChannelVarset state=\\S+ variable=\"BRIDGEPEER\"|ChannelConnectedLine )"),
          "bridge membership updates are not simulated: Asterisk sets BRIDGEPEER on the members at"
              + " each join and leave (the bridge playback's announcer counts) and updates the"
              + " connected line when two channels meet, 4-5 events per channel of a two-party"
              + " bridge with a playback; Switchboard ignores them (docs/performance.md)"),
      new Allowed(Pattern.compile("^real: \\S+-far ChannelVarset state=\\S+ variable=\"PLAYBACKSTATUS\""),
          "the far half of a test Local pair plays a file in the [sbtest-amd] dialplan;"
              + " Switchboard ignores the variables of channels it does not own"),
      new Allowed(Pattern.compile("^(real|sim): \\S+ Dial dialstatus=\"\" "),
          "for a far end that is busy at once Asterisk publishes the dial's begin and end from"
              + " different threads: their order varies from run to run"));

  private static RealAsterisk asterisk;
  private static AriSimulator sim;
  private static int simPort;

  @BeforeAll
  static void start() throws Exception {
    asterisk = RealAsterisk.shared();
    sim = new AriSimulator();
    simPort = sim.start(SimConfig.defaults().withApp(RealAsterisk.APP, "switchboard-in")
        .withRecordingsDir(Files.createTempDirectory("fidelity")));
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void inboundCallAnsweredPlayedAndHungUp() {
    compare("inbound", s -> {
      answeredInboundCall(s, "f1");
      s.rest("POST", "/channels/f1-in/play", Map.of("media", "sound:beep", "playbackId", "f1-pb"));
      s.await("PlaybackFinished", "f1-pb");
      s.rest("DELETE", "/channels/f1-in", Map.of());
      s.await("StasisEnd", "f1-in");
    });
  }

  @Test
  void callerAndOriginatedLegBridgedWithABridgePlayback() {
    compare("bridge", s -> {
      answeredInboundCall(s, "f4");
      s.rest("POST", "/channels", Map.of("endpoint", "Local/answer@phones", "app", RealAsterisk.APP,
          "channelId", "f4-leg", "otherChannelId", "f4-far", "timeout", "10"));
      s.await("StasisStart", "f4-leg");
      s.rest("POST", "/bridges/f4-br", Map.of("type", "mixing"));
      s.rest("POST", "/bridges/f4-br/addChannel", Map.of("channel", "f4-in,f4-leg"));
      s.await("ChannelEnteredBridge", "f4-leg");
      s.rest("POST", "/bridges/f4-br/play", Map.of("media", "sound:beep", "playbackId", "f4-bpb"));
      s.await("PlaybackFinished", "f4-bpb");
      s.rest("DELETE", "/channels/f4-leg", Map.of());
      s.await("StasisEnd", "f4-leg");
      s.rest("DELETE", "/channels/f4-in", Map.of());
      s.await("StasisEnd", "f4-in");
      s.rest("DELETE", "/bridges/f4-br", Map.of());
      s.await("BridgeDestroyed", "f4-br");
    });
  }

  @Test
  void emptyBridgeCreatedAndDestroyed() {
    // No channel of the application ever entered it, so the application is not subscribed to
    // it and Asterisk sends no BridgeDestroyed; the call's channel marks the end of the stream.
    compare("empty-bridge", s -> {
      answeredInboundCall(s, "f5");
      s.rest("POST", "/bridges/f5-br", Map.of("type", "mixing"));
      s.rest("DELETE", "/bridges/f5-br", Map.of());
      s.rest("DELETE", "/channels/f5-in", Map.of());
      s.await("StasisEnd", "f5-in");
    });
  }

  @Test
  void outboundLegCreatedDialledBusy() {
    compare("busy", s -> {
      s.rest("POST", "/channels/create", Map.of("endpoint", "Local/busy@phones",
          "app", RealAsterisk.APP, "channelId", "f2-out"));
      s.await("StasisStart", "f2-out");
      s.rest("POST", "/channels/f2-out/dial", Map.of("timeout", "10"));
      s.await(e -> e.path("type").asText().equals("Dial")
          && e.path("dialstatus").asText().equals("BUSY"), "Dial BUSY");
      s.rest("DELETE", "/channels/f2-out", Map.of());
      s.await("StasisEnd", "f2-out");
    });
  }

  /**
   * Answering machine detection as Switchboard runs it (docs/amd.md): an originated leg answered
   * by a person continues into {@code [switchboard-amd]} and comes back to Stasis with the verdict
   * as args. The simulator is told what the far end is; Asterisk hears it.
   */
  @Test
  void answeredLegContinuesIntoDetectionAndComesBackWithTheVerdict() {
    AmdSamples.install(asterisk);
    sim.addDialRule(new DialRule("Local/h01@sbtest-amd", DialBehaviour.parse("answer")));
    sim.answeringMachine("Local/h01@sbtest-amd", AmdOutcome.human(Duration.ofSeconds(2)));
    compare("amd", s -> {
      s.rest("POST", "/channels", Map.of("endpoint", "Local/h01@sbtest-amd", "app",
          RealAsterisk.APP, "appArgs", "dial-leg,x", "channelId", "f6-leg", "otherChannelId",
          "f6-far", "timeout", "10"));
      s.await("StasisStart", "f6-leg");
      s.rest("POST", "/channels/f6-leg/continue", Map.of("context", AmdDialplan.CONTEXT,
          "extension", AmdDialplan.extension(MachineDetection.of(MachineDetection.Mode.ENABLE)),
          "priority", "1"));
      s.await(e -> e.path("type").asText().equals("StasisStart")
          && AriSession.idOf(e).equals("f6-leg") && e.path("args").path(0).asText().equals("amd"),
          "the verdict");
      s.rest("DELETE", "/channels/f6-leg", Map.of());
      s.await("ChannelDestroyed", "f6-leg");
    });
  }

  /**
   * PJSIP objects through ARI's dynamic configuration (conf/sorcery.conf's memory wizards), as
   * /provision-endpoint uses them: creation, update, codec order, validation and not-found
   * answers with Asterisk's messages, deletion.
   */
  @Test
  void dynamicConfigurationOfPjsipObjects() {
    String base = "/asterisk/config/dynamic/res_pjsip/";
    List<String> show = List.of("username", "password", "max_contacts", "remove_existing",
        "allow", "webrtc", "auth", "aors", "context");
    compare("dynamic-config", s -> {
      s.restJson("GET", base + "endpoint/fid-none", null, show);
      s.restJson("PUT", base + "auth/fid-1", fields("auth_type", "userpass", "username", "fid-1",
          "password", "secret"), show);
      s.restJson("PUT", base + "aor/fid-1", fields("max_contacts", "1", "remove_existing", "yes"),
          show);
      s.restJson("PUT", base + "endpoint/fid-1", fields("disallow", "all", "webrtc", "yes",
          "context", "volunteers", "auth", "fid-1", "aors", "fid-1", "allow", "opus,ulaw"), show);
      s.restJson("GET", base + "endpoint/fid-1", null, show);
      s.restJson("PUT", base + "endpoint/fid-1", fields("context", "other"), show);
      s.restJson("PUT", base + "aor/fid-1", fields("max_contacts", "many"), show);
      s.restJson("PUT", base + "aor/fid-2", fields("no_such_option", "1"), show);
      s.restJson("PUT", base + "auth/fid-2", fields("username", "fid-2"), show);
      s.restJson("PUT", base + "endpoint/fid-2", fields("allow", "ulaw", "disallow", "all"), show);
      s.restJson("PUT", base + "endpoint/fid-2", fields("context", "other"), show);
      s.restJson("PUT", base + "no_such_type/fid-1", fields("a", "b"), show);
      s.restJson("PUT", "/asterisk/config/dynamic/res_no_such/aor/fid-1", fields("a", "b"), show);
      s.restJson("POST", base + "aor/fid-1", null, show);
      s.restJson("PUT", base + "aor/fid-3", "not json", show);
      for (String type : List.of("endpoint", "aor", "auth")) {
        s.restJson("DELETE", base + type + "/fid-1", null, show);
      }
      s.restJson("DELETE", base + "endpoint/fid-2", null, show);
      s.restJson("DELETE", base + "endpoint/fid-1", null, show);
    });
  }

  /** {@code {"fields":[{"attribute":…,"value":…},…]}} of name, value pairs in order. */
  private static String fields(String... pairs) {
    StringBuilder json = new StringBuilder("{\"fields\":[");
    for (int i = 0; i < pairs.length; i += 2) {
      json.append(i == 0 ? "" : ",").append("{\"attribute\":\"").append(pairs[i])
          .append("\",\"value\":\"").append(pairs[i + 1]).append("\"}");
    }
    return json.append("]}").toString();
  }

  @Test
  void restRefusals() {
    compare("refusals", s -> {
      s.rest("GET", "/channels/f3-none", Map.of());
      s.rest("POST", "/channels/f3-none/answer", Map.of());
      s.rest("POST", "/channels/f3-none/play", Map.of("media", "sound:beep"));
      s.rest("DELETE", "/channels/f3-none", Map.of());
      s.rest("DELETE", "/bridges/f3-none", Map.of());
      s.rest("POST", "/channels", Map.of("endpoint", "Local/answer@phones", "app", RealAsterisk.APP,
          "channelId", "f3-x-phone", "otherChannelId", "f3-x"));
      s.rest("POST", "/channels", Map.of("endpoint", "Local/answer@phones", "app", RealAsterisk.APP,
          "channelId", "f3-y-caller", "otherChannelId", "f3-y-in"));
      s.await("StasisStart", "f3-y-caller");
      s.rest("POST", "/channels", Map.of("endpoint", "Local/answer@phones", "app", RealAsterisk.APP,
          "channelId", "F3-Y"));
      s.rest("DELETE", "/channels/f3-y-caller", Map.of());
      s.await("StasisEnd", "f3-y-caller");
    });
  }

  /** An inbound call {@code <tag>-in} (caller {@code <tag>-caller}) in Stasis and answered. */
  private static void answeredInboundCall(AriSession s, String tag) {
    s.rest("POST", "/channels", Map.of("endpoint", "Local/+15550001@switchboard-in",
        "context", "phones", "extension", "answer", "priority", "1", "callerId", "+15557770001",
        "channelId", tag + "-caller", "otherChannelId", tag + "-in"));
    s.await("StasisStart", tag + "-in");
    s.rest("POST", "/channels/" + tag + "-in/answer", Map.of());
  }

  /** Runs {@code scenario} on both servers and fails on a difference not allowed. */
  private static void compare(String name, Consumer<AriSession> scenario) {
    List<String> real = run(asterisk.ariUrl(), asterisk.user(), asterisk.password(), name, scenario);
    List<String> simulated = run("http://127.0.0.1:" + simPort + "/ari", "asterisk", "asterisk",
        name, scenario);
    List<String> diff = diff(real, simulated);
    List<String> unexplained = new ArrayList<>();
    for (String line : diff) {
      if (ALLOWED.stream().noneMatch(a -> a.line().matcher(line).find())) {
        unexplained.add(line);
      }
    }
    assertTrue(unexplained.isEmpty(), name + ": the simulator differs from Asterisk:\n  "
        + String.join("\n  ", unexplained) + "\nreal:\n  " + String.join("\n  ", real)
        + "\nsimulator:\n  " + String.join("\n  ", simulated));
  }

  private static List<String> run(String url, String user, String password, String name,
      Consumer<AriSession> scenario) {
    try (AriSession s = new AriSession(url, user, password, RealAsterisk.APP)) {
      scenario.accept(s);
      s.drain(RealAsterisk.APP, "fz-" + name);
      return describe(s.seen());
    }
  }

  /**
   * The record as comparable lines: REST requests with their status in order, then for each id
   * (channel, playback, bridge; ids sorted, since events of different channels may interleave
   * either way) the events about it in order, with their key fields.
   */
  static List<String> describe(List<AriSession.Entry> seen) {
    List<String> out = new ArrayList<>();
    Map<String, List<String>> byId = new TreeMap<>();
    for (AriSession.Entry e : seen) {
      if (e.request() != null) {
        if (!e.request().contains("fz-") && !e.request().contains("/subscription")) {
          out.add("REST " + e.request() + " -> " + e.status());
        }
      } else if (!AriSession.idOf(e.event()).startsWith("fz-")) {
        byId.computeIfAbsent(AriSession.idOf(e.event()), k -> new ArrayList<>())
            .add(eventLine(e.event()));
      }
    }
    byId.forEach((id, lines) -> lines.forEach(l -> out.add(id + " " + l)));
    return out;
  }

  private static String eventLine(JsonNode e) {
    StringBuilder b = new StringBuilder(e.path("type").asText());
    JsonNode c = e.path("channel");
    if (!c.isMissingNode()) {
      b.append(" state=").append(c.path("state").asText());
    }
    for (String f : List.of("cause", "soft", "dialstatus", "digit", "variable", "args")) {
      if (e.has(f)) {
        b.append(' ').append(f).append('=').append(e.get(f));
      }
    }
    if (e.has("playback")) {
      b.append(" state=").append(e.path("playback").path("state").asText());
    }
    if (e.has("peer")) {
      b.append(" peer=").append(e.path("peer").path("id").asText());
    }
    return b.toString();
  }

  /** A line diff (longest common subsequence): {@code real: x} missing on the simulator, {@code sim: y} extra. */
  static List<String> diff(List<String> real, List<String> sim) {
    int[][] lcs = new int[real.size() + 1][sim.size() + 1];
    for (int i = real.size() - 1; i >= 0; i--) {
      for (int j = sim.size() - 1; j >= 0; j--) {
        lcs[i][j] = real.get(i).equals(sim.get(j)) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < real.size() || j < sim.size()) {
      if (i < real.size() && j < sim.size() && real.get(i).equals(sim.get(j))) {
        i++;
        j++;
      } else if (j < sim.size() && (i == real.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add("sim: " + sim.get(j++));
      } else {
        out.add("real: " + real.get(i++));
      }
    }
    return out;
  }
}
