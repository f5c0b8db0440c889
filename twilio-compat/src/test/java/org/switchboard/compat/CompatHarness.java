package org.switchboard.compat;

import com.twilio.http.TwilioRestClient;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;

/**
 * A Switchboard node on the ARI simulator over real sockets, a {@link WebhookApp} answering its
 * webhooks ({@code /voice} for inbound calls, {@code /status} their status callback) and the
 * Twilio SDK's {@link TwilioRestClient} pointed at the node through {@link LoopbackHttpClient}.
 */
final class CompatHarness implements AutoCloseable {
  static final String SERVER = "sim";
  static final String AUTH_TOKEN = "compat-auth-token-0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(20);

  final AriSimulator sim = new AriSimulator();
  final WebhookApp app;
  final SwitchboardNode node;
  final LoopbackHttpClient http;
  final TwilioRestClient twilio;
  final String accountSid;
  final Path dir;

  CompatHarness(List<DialRule> dialRules) throws IOException {
    this(dialRules, Map.of());
  }

  CompatHarness(List<DialRule> dialRules, Map<String, String> extraConfig) throws IOException {
    dir = Files.createTempDirectory("switchboard-compat");
    app = new WebhookApp(AUTH_TOKEN);
    int simPort = sim.start(SimConfig.defaults()
        .withApp("switchboard", "switchboard-in")
        .withRecordingsDir(dir.resolve("recordings"))
        .withDialRules(dialRules, DialBehaviour.parse("answer-after-300")));
    Map<String, String> values = new HashMap<>(extraConfig);
    // Pekko's own reference.conf (17355) can win over the engine's port 0 on this classpath:
    // two test JVMs at once would then collide.
    values.putIfAbsent("pekko.remote.artery.canonical.port", "0");
    // Admission control measures the machine: on a loaded one it would shed the calls under test.
    values.putIfAbsent("switchboard.overload.enabled", "false");
    // Each harness its own store: the default ./var/store file would carry one run's calls
    // and recordings (same CallSids on the simulator) into the next.
    values.putIfAbsent("switchboard.store.url",
        "jdbc:h2:file:" + dir.resolve("store").resolve("switchboard").toAbsolutePath());
    values.putAll(Map.of(
        "switchboard.auth-token", AUTH_TOKEN,
        "switchboard.bridge-secret", "compat-bridge-secret",
        "switchboard.api.recording-signing-key", "compat-recording-key",
        "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
        "switchboard.webhooks.outbox.initial-backoff", "100ms",
        "switchboard.audio.cache-dir", dir.resolve("audio").toString()));
    Config config = ConfigFactory.parseMap(values).withFallback(ConfigFactory.load());
    VoiceApplication voice = new VoiceApplication(app.url("/voice"), Method.POST, Optional.empty(),
        Method.POST, Optional.of(app.url("/status")), Method.POST, Set.of("completed"));
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config)
        .withHttpPort(Main.freePort("127.0.0.1"))
        .withAsterisk(List.of(AriServerConfig.basic(SERVER, "http://127.0.0.1:" + simPort + "/ari",
            "switchboard", "asterisk", "asterisk")), voice);
    node = SwitchboardNode.start(config, settings, voice, List.of(), Clock.systemUTC());
    accountSid = config.getString("switchboard.account-sid");
    http = new LoopbackHttpClient(node.publicUrl());
    twilio = new TwilioRestClient.Builder(accountSid, AUTH_TOKEN).httpClient(http).build();
    awaitTrue(() -> {
      LinkStatus s = node.ari().links().get(SERVER);
      return s != null && s.connected();
    }, "ARI link up");
  }

  /** The CallSid of an inbound call's Stasis channel. */
  static String callSid(String channel) {
    return CallSid.forChannel(new ChannelRef(SERVER, channel));
  }

  /** The ARI requests the simulator received whose path contains {@code part}. */
  List<SimLog.Request> ari(String method, String part) {
    List<SimLog.Request> out = new ArrayList<>();
    for (SimLog.Request r : sim.log().requests()) {
      if (r.method().equals(method) && r.path().contains(part)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The query and body of an ARI request, URL-decoded. */
  static String decoded(SimLog.Request r) {
    return java.net.URLDecoder.decode(r.query() + r.body(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
  void awaitTrue(BooleanSupplier condition, String description) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
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

  /** Waits until the simulator holds nothing the calls left behind. */
  void awaitClean() {
    awaitTrue(() -> sim.channels().isEmpty() && sim.bridges().isEmpty()
        && sim.playbacks().isEmpty() && sim.liveRecordings().isEmpty(),
        "no channel, bridge, playback or live recording left");
  }

  private String leftovers() {
    List<String> out = new ArrayList<>();
    sim.channels().forEach(c -> out.add("channel " + c.id() + " " + c.state()));
    sim.bridges().forEach(b -> out.add("bridge " + b.id() + " " + b.channels()));
    sim.playbacks().forEach(p -> out.add("playback " + p));
    sim.liveRecordings().forEach(r -> out.add("recording " + r));
    return out.toString();
  }

  @Override
  public void close() {
    node.close();
    sim.close();
    app.close();
  }
}
