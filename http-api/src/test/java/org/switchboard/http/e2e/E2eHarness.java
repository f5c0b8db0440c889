package org.switchboard.http.e2e;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.switchboard.http.testing.SteppedClock;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.port.CallSids;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.WebhookPort.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;

/**
 * Everything an end-to-end test needs, over real sockets on loopback: the ARI simulator, a
 * Switchboard node linked to it, and a test TwiML application whose {@code /voice} answers every
 * inbound call (with {@code /fallback} as fallback URL and {@code /status} as status callback).
 */
final class E2eHarness implements AutoCloseable {
  static final String SERVER = "sim";
  static final String AUTH_TOKEN = "e2e-auth-token-0123456789abcdef";
  static final String BRIDGE_SECRET = "e2e-bridge-secret";
  static final Duration WAIT = Duration.ofSeconds(20);

  final AriSimulator sim = new AriSimulator();
  /** The engine's clock: the test may move it forward (queue waits, call durations). */
  final SteppedClock clock = SteppedClock.followingSystemTime();
  final TestTwimlApp app;
  final SwitchboardNode node;
  final Path dir;

  E2eHarness(List<DialRule> dialRules) throws IOException {
    this(dialRules, Map.of());
  }

  /** As {@link #E2eHarness(List)}, with {@code extraConfig} over the node's configuration. */
  E2eHarness(List<DialRule> dialRules, Map<String, String> extraConfig) throws IOException {
    dir = Files.createTempDirectory("switchboard-e2e");
    app = new TestTwimlApp(AUTH_TOKEN);
    int simPort =
        sim.start(
            SimConfig.defaults()
                .withApp("switchboard", "switchboard-in")
                .withRecordingsDir(dir.resolve("recordings"))
                .withDialRules(dialRules, DialBehaviour.parse("answer-after-500")));
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "switchboard.auth-token", AUTH_TOKEN,
                    "switchboard.bridge-secret", BRIDGE_SECRET,
                    "switchboard.api.recording-signing-key", "e2e-recording-key",
                    "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
                    "switchboard.webhooks.outbox.initial-backoff", "100ms",
                    "switchboard.audio.cache-dir", dir.resolve("audio").toString()))
            .withFallback(ConfigFactory.parseMap(extraConfig))
            .withFallback(ConfigFactory.load());
    VoiceApplication voice =
        new VoiceApplication(
            app.url("/voice"),
            Method.POST,
            Optional.of(app.url("/fallback")),
            Method.POST,
            Optional.of(app.url("/status")),
            Method.POST,
            Set.of("completed"));
    SwitchboardSettings settings =
        SwitchboardSettings.fromConfig(config)
            .withHttpPort(Main.freePort("127.0.0.1"))
            .withAsterisk(
                List.of(
                    AriServerConfig.basic(
                        SERVER,
                        "http://127.0.0.1:" + simPort + "/ari",
                        "switchboard",
                        "asterisk",
                        "asterisk")),
                voice);
    node = SwitchboardNode.start(config, settings, voice, List.of(), clock);
    awaitTrue(
        () -> {
          LinkStatus s = node.ari().links().get(SERVER);
          return s != null && s.connected();
        },
        "ARI link up");
  }

  E2eHarness() throws IOException {
    this(List.of());
  }

  /** Places an inbound call from {@code from} to {@code to}; returns its simulator channel. */
  String call(String from, String to) {
    return sim.inboundCall(from, to);
  }

  static String callSid(String channel) {
    return CallSids.forChannel(new ChannelRef(SERVER, channel));
  }

  /** Waits until the simulator holds nothing the calls left behind. */
  void awaitClean() {
    awaitTrue(
        () ->
            sim.channels().isEmpty()
                && sim.bridges().isEmpty()
                && sim.playbacks().isEmpty()
                && sim.liveRecordings().isEmpty(),
        "no channel, bridge, playback or live recording left on the simulator");
  }

  /** What the simulator still holds, for failure messages. */
  String leftovers() {
    List<String> out = new ArrayList<>();
    sim.channels().forEach(c -> out.add("channel " + c.id() + " " + c.state()));
    sim.bridges().forEach(b -> out.add("bridge " + b.id() + " " + b.channels()));
    sim.playbacks().forEach(p -> out.add("playback " + p));
    sim.liveRecordings().forEach(r -> out.add("recording " + r));
    List<org.switchboard.asterisk.sim.SimLog.Request> log = sim.log().requests();
    log.subList(Math.max(0, log.size() - 12), log.size())
        .forEach(r -> out.add("ARI " + r.method() + " " + r.path() + "?" + r.query() + " " + r.status()));
    return out.toString();
  }

  /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
  void awaitTrue(Supplier<Boolean> condition, String description) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      Thread.onSpinWait();
      try {
        synchronized (this) {
          wait(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    throw new AssertionError("timed out waiting for: " + description + "; left: " + leftovers());
  }

  @Override
  public void close() {
    node.close();
    sim.close();
    app.close();
  }
}
