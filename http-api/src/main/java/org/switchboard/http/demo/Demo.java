package org.switchboard.http.demo;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.StopSignals;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.signature.BridgeSignature;

/**
 * The main job when no Asterisk is configured: the ARI simulator on loopback, a Switchboard node
 * connected to it, the sample hotline application served by that node, and a few simulated
 * callers. Each call's timeline (webhooks, ARI commands, outcome) is printed when the callers are
 * done.
 */
public final class Demo {
  /** The simulator's server id in Switchboard. */
  public static final String SERVER_ID = "sim";

  static final String HOTLINE_NUMBER = "+15551234567";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private Demo() {}

  /**
   * Runs the demo; returns the exit status for {@code --once}: 0 when every call's channel is
   * gone and its timeline shows it started and completed ({@link DemoTimeline#verdict}).
   */
  public static int run(Config config, SwitchboardSettings settings, Integer calls, boolean once)
      throws Exception {
    SwitchboardSettings.Demo demo = settings.demo();
    URI base = URI.create("http://" + settings.httpHost() + ":" + settings.httpPort());
    System.out.printf(
        "Switchboard demo on %s: metrics %s/metrics, health %s/health (starting; Ctrl-C stops)%n",
        base, base, base);
    System.out.flush();
    // Stopped in the reverse order of starting; a stop signal runs them and exits 0.
    Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    StopSignals.handle(signal -> {
      System.err.println("SIG" + signal + ": stopping the demo");
      closeAll(started);
      System.exit(0);
    }, "TERM", "INT");
    Path recordings = Files.createTempDirectory("switchboard-demo-recordings");
    List<DialRule> rules = new ArrayList<>();
    for (SwitchboardSettings.Volunteer v : demo.volunteers()) {
      rules.add(new DialRule("*" + v.phone() + "*", DialBehaviour.parse(v.behaviour())));
    }
    AriSimulator sim = new AriSimulator(runIdPrefix());
    started.push(sim);
    int simPort =
        sim.start(
            SimConfig.defaults()
                .withPort(demo.simulatorPort())
                .withApp("switchboard", "switchboard-in")
                .withRecordingsDir(recordings)
                .withDialRules(rules, DialBehaviour.parse("answer-after-2000")));
    AriServerConfig server =
        AriServerConfig.basic(
            SERVER_ID, "http://127.0.0.1:" + simPort + "/ari", "switchboard", "asterisk", "asterisk");
    VoiceApplication app =
        new VoiceApplication(
            base.resolve("/demo/incoming"),
            Method.POST,
            java.util.Optional.empty(),
            Method.POST,
            java.util.Optional.of(base.resolve("/demo/call-status")),
            Method.POST,
            java.util.Set.of("completed"));
    DemoTimeline timeline = new DemoTimeline();
    DemoRunner[] runner = new DemoRunner[1];
    DemoHotlineApp hotline =
        new DemoHotlineApp(
            new DemoHotlineApp.Settings("hotline", demo.leaveAfterSeconds(), 4, "1234"),
            received -> {
              timeline.webhook(received);
              if (runner[0] != null) {
                runner[0].onWebhook(received);
              }
            },
            callSid -> runner[0].onCallerQueued(callSid));
    SwitchboardSettings withSim = settings.withAsterisk(List.of(server), app);
    // The demo's simulator lives and dies with this process, so its calls cannot outlive it: no
    // store (a stale one would meet the next run's simulator channel ids again).
    Config demoConfig = config.withValue("switchboard.store.kind",
        com.typesafe.config.ConfigValueFactory.fromAnyRef("memory"));
    SwitchboardNode node =
        SwitchboardNode.start(demoConfig, withSim, app, List.of(hotline.route()), Clock.systemUTC());
    started.push(node);
    String bridgeSecret = node.system().settings().config().getString("switchboard.bridge-secret");
    runner[0] =
        new DemoRunner(
            sim,
            SERVER_ID,
            HOTLINE_NUMBER,
            callSid ->
                ringVolunteers(base, bridgeSecret, callSid, demo.volunteers())
                    .forEach(leg -> timeline.leg(callSid, leg)));
    started.push(runner[0]);
    System.out.printf(
        "Switchboard demo: ARI simulator on 127.0.0.1:%d, Switchboard on %s%n", simPort, base);
    System.out.printf("Dashboard: %s/dashboard (live; open in a browser)%n", base);
    waitForLink(node, Duration.ofSeconds(30));
    int count = calls != null ? calls : demo.calls();
    List<DemoTimeline.DemoCall> placed = runner[0].placeCalls(count);
    Instant deadline = Instant.now().plusSeconds(90L + 30L * count + demo.leaveAfterSeconds());
    while (!runner[0].allEnded() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    boolean ended = runner[0].allEnded();
    // A call's completed status callback follows its channel's end by a moment.
    Instant settled = Instant.now().plusSeconds(10);
    while (ended
        && !placed.stream().allMatch(call -> timeline.verdict(call).ok())
        && Instant.now().isBefore(settled)) {
      Thread.sleep(100);
    }
    System.out.println();
    long ran = 0;
    for (DemoTimeline.DemoCall call : placed) {
      System.out.println(timeline.render(call, sim.log().requests()));
      ran += timeline.verdict(call).ok() ? 1 : 0;
    }
    boolean success = ended && ran == placed.size();
    System.out.printf(
        "%d demo call(s) %s. Metrics: %s/metrics, health: %s/health%n",
        placed.size(),
        success
            ? "started and completed"
            : "did NOT all start and complete in time (" + ran + " did"
                + (ended ? "" : "; channels left on the simulator") + ")",
        base,
        base);
    if (once) {
      closeAll(started);
    } else {
      System.out.println("Serving until stopped (Ctrl-C).");
    }
    return success ? 0 : 1;
  }

  /**
   * A prefix for the simulator's channel ids unique to this run (its start time in base 36), so
   * each run's calls have CallSids of their own, as on a real Asterisk.
   */
  static String runIdPrefix() {
    return "sim-" + Long.toString(System.currentTimeMillis(), 36);
  }

  /** Closes what was started, newest first, once: by the main thread or by a stop signal. */
  private static void closeAll(Deque<AutoCloseable> started) {
    for (AutoCloseable next = started.poll(); next != null; next = started.poll()) {
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("stopping " + next.getClass().getSimpleName() + ": " + e);
      }
    }
  }

  /**
   * Rings the volunteers the way the hotline application does: a signed POST to {@code /ring}.
   * Returns the channel ids of the legs it started.
   */
  static List<String> ringVolunteers(
      URI base, String secret, String callSid, List<SwitchboardSettings.Volunteer> volunteers) {
    StringBuilder json = new StringBuilder("{\"parentCallSid\":\"").append(callSid);
    json.append("\",\"callerNumber\":\"").append(HOTLINE_NUMBER).append("\",\"timeout\":20,");
    json.append("\"answerUrl\":\"").append(base.resolve("/demo/volunteer-answer")).append("\",");
    json.append("\"volunteers\":[");
    for (int i = 0; i < volunteers.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"volunteer-")
          .append(i + 1)
          .append("\",\"phone\":\"")
          .append(volunteers.get(i).phone())
          .append("\"}");
    }
    json.append("]}");
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/ring"))
            .header("Content-Type", "application/json")
            .header(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now))
            .header(BridgeSignature.SIGNATURE_HEADER, BridgeSignature.sign(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.printf("/ring answered %d: %s%n", response.statusCode(), response.body());
        return List.of();
      }
      List<String> channels = new ArrayList<>();
      JSON.readTree(response.body()).path("legs").forEach(l -> channels.add(l.path("channelId").asText()));
      return channels;
    } catch (Exception e) {
      System.err.println("/ring failed: " + e);
      return List.of();
    }
  }

  private static void waitForLink(SwitchboardNode node, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      LinkStatus status = node.ari().links().get(SERVER_ID);
      if (status != null && status.connected()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the ARI link to the simulator did not come up in " + timeout);
  }
}
