package org.switchboard.http.e2e;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.realasterisk.RealAsterisk;
import org.switchboard.http.testing.SteppedClock;

/**
 * Everything an end-to-end test needs, over real sockets on loopback: the ARI simulator (or a real
 * Asterisk, {@link RealAsterisk}), a
 * Switchboard node linked to it, and a test TwiML application whose {@code /voice} answers every
 * inbound call (with {@code /fallback} as fallback URL and {@code /status} as status callback).
 */
final class E2eHarness implements AutoCloseable {
  static final String SERVER = "sim";
  static final String AUTH_TOKEN = "e2e-auth-token-0123456789abcdef";
  static final String BRIDGE_SECRET = "e2e-bridge-secret";
  static final Duration WAIT = Duration.ofSeconds(20);

  private static final AtomicInteger CALLS = new AtomicInteger();

  /** The simulator, or null when the backend is a real Asterisk. */
  final AriSimulator sim;
  /** The real Asterisk, or null when the backend is the simulator. */
  final RealAsterisk asterisk;
  /** True when {@link #close} stops {@link #asterisk} ({@link #onOwnRealAsterisk}). */
  private boolean ownsAsterisk;
  /** The engine's clock: the test may move it forward (queue waits, call durations). */
  final SteppedClock clock = SteppedClock.followingSystemTime();
  final TestTwimlApp app;
  final SwitchboardNode node;
  final Path dir;
  private final String ariBase;
  private final String ariAuthorization;

  E2eHarness(List<DialRule> dialRules) throws IOException {
    this(dialRules, Map.of());
  }

  /** As {@link #E2eHarness(List)}, with {@code extraConfig} under the node's configuration. */
  E2eHarness(List<DialRule> dialRules, Map<String, String> extraConfig) throws IOException {
    this(new AriSimulator(), null, dialRules, extraConfig);
  }

  /**
   * The same harness on a real Asterisk: {@code settings} are added to the node's configuration
   * (e.g. a {@code switchboard.dial.number-template} into the test dialplan).
   */
  private E2eHarness(RealAsterisk asterisk, Map<String, String> settings) throws IOException {
    this(null, asterisk, List.of(), settings);
  }

  /**
   * The harness on the shared real Asterisk (skips the test when there is none), with numbers
   * dialled into the test dialplan's {@code [sbtest-numbers]}.
   */
  static E2eHarness onRealAsterisk() throws IOException {
    return onRealAsterisk(Map.of());
  }

  /** As {@link #onRealAsterisk()}, with {@code settings} added to the node's configuration. */
  static E2eHarness onRealAsterisk(Map<String, String> settings) throws IOException {
    Map<String, String> all = new HashMap<>(settings);
    all.put("switchboard.dial.number-template", "Local/{number}@sbtest-numbers");
    return new E2eHarness(RealAsterisk.shared(), all);
  }

  /**
   * As {@link #onRealAsterisk(Map)}, on an Asterisk of the harness's own, stopped by {@link
   * #close}: for a test that must not see what earlier tests of the JVM left on the shared one
   * (channels, Stasis registrations, RTP ports in use). Skips the test when there is none.
   */
  static E2eHarness onOwnRealAsterisk(Map<String, String> settings) throws IOException {
    java.util.Optional<java.nio.file.Path> up = RealAsterisk.locateUp();
    org.junit.jupiter.api.Assumptions.assumeTrue(up.isPresent(), "no asterisk-up");
    RealAsterisk own = RealAsterisk.start(up.get());
    try {
      Map<String, String> all = new HashMap<>(settings);
      all.put("switchboard.dial.number-template", "Local/{number}@sbtest-numbers");
      E2eHarness harness = new E2eHarness(own, all);
      harness.ownsAsterisk = true;
      return harness;
    } catch (IOException | RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /** An ARI answer read in full. */
  record Reply(int status, String body) {}

  /** {@code method /ari{path}} on the backend (simulator or Asterisk), as Switchboard logs in. */
  Reply rest(String method, String path) {
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(ariBase + path))
              .header("Authorization", ariAuthorization)
              .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
              .timeout(WAIT)
              .build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  private E2eHarness(AriSimulator sim, RealAsterisk asterisk, List<DialRule> dialRules,
      Map<String, String> extraSettings) throws IOException {
    this.sim = sim;
    this.asterisk = asterisk;
    dir = Files.createTempDirectory("switchboard-e2e");
    app = new TestTwimlApp(AUTH_TOKEN);
    String ariUrl;
    String ariUser = "asterisk";
    String ariPassword = "asterisk";
    if (sim != null) {
      int simPort =
          sim.start(
              SimConfig.defaults()
                  .withApp("switchboard", "switchboard-in")
                  .withRecordingsDir(dir.resolve("recordings"))
                  .withDialRules(dialRules, DialBehaviour.parse("answer-after-500")));
      ariUrl = "http://127.0.0.1:" + simPort + "/ari";
    } else {
      ariUrl = asterisk.ariUrl();
      ariUser = asterisk.user();
      ariPassword = asterisk.password();
    }
    ariBase = ariUrl;
    ariAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
        (ariUser + ":" + ariPassword).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    VoiceApplication voice =
        new VoiceApplication(
            app.url("/voice"),
            Method.POST,
            Optional.of(app.url("/fallback")),
            Method.POST,
            Optional.of(app.url("/status")),
            Method.POST,
            Set.of("completed"));
    node = startNode(ariUrl, ariUser, ariPassword, voice, dir, extraSettings, clock);
    awaitTrue(
        () -> {
          LinkStatus s = node.ari().links().get(SERVER);
          return s != null && s.connected();
        },
        "ARI link up");
  }

  /**
   * A node as the harness starts it: linked to the ARI server at {@code ariUrl} as {@link
   * #SERVER}, running {@code voice} for every number, its outbox and audio cache under {@code
   * dir}, {@code extraSettings} under its configuration.
   */
  static SwitchboardNode startNode(String ariUrl, String ariUser, String ariPassword,
      VoiceApplication voice, Path dir, Map<String, String> extraSettings, java.time.Clock clock) {
    Map<String, String> values = new HashMap<>(extraSettings);
    values.putAll(
        Map.of(
            "switchboard.auth-token", AUTH_TOKEN,
            "switchboard.bridge-secret", BRIDGE_SECRET,
            "switchboard.api.recording-signing-key", "e2e-recording-key",
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.webhooks.outbox.initial-backoff", "100ms",
            "switchboard.audio.cache-dir", dir.resolve("audio").toString()));
    Config config = ConfigFactory.parseMap(values).withFallback(ConfigFactory.load());
    SwitchboardSettings settings =
        SwitchboardSettings.fromConfig(config)
            .withHttpPort(Main.freePort("127.0.0.1"))
            .withAsterisk(
                List.of(
                    withRequestTimeout(AriServerConfig.basic(
                        SERVER,
                        ariUrl,
                        "switchboard",
                        ariUser,
                        ariPassword), config)),
                voice);
    return SwitchboardNode.start(config, settings, voice, List.of(), clock);
  }

  /**
   * {@code server} with {@code switchboard.ari.request-timeout} when the test sets it, and {@code
   * switchboard.ari.rest-transport} when the test sets it to {@code http} (commands never over the
   * event socket).
   */
  private static AriServerConfig withRequestTimeout(AriServerConfig server, Config config) {
    AriServerConfig timed = config.hasPath("switchboard.ari.request-timeout")
        ? server.withRequestTimeout(config.getDuration("switchboard.ari.request-timeout"))
        : server;
    return "http".equals(config.getString("switchboard.ari.rest-transport"))
        ? timed.withRestTransport(org.switchboard.asterisk.client.RestTransport.HTTP)
        : timed;
  }

  E2eHarness() throws IOException {
    this(List.of());
  }

  /** Places an inbound call from {@code from} to {@code to}; returns its Stasis channel. */
  String call(String from, String to) {
    return call(from, to, Caller.SILENT);
  }

  /**
   * Places an inbound call whose caller behaves as {@code caller}. On a real Asterisk the caller
   * is a {@code [phones]} extension (its digits are dialled by the dialplan); on the simulator
   * {@link #callerActs} plays its part.
   */
  String call(String from, String to, Caller caller) {
    if (sim != null) {
      return sim.inboundCall(from, to);
    }
    return asterisk.inboundCall("e2e-" + CALLS.incrementAndGet(), from, to, caller.extension());
  }

  /** The caller of {@code channel} hangs up (the phone half of its Local pair). */
  void callerHangsUp(String channel) {
    if (sim != null) {
      sim.callerHangup(channel);
    } else {
      asterisk.rest("DELETE", "/channels/" + channel.replaceFirst("-in$", "-caller"), Map.of());
    }
  }

  /** Waits until {@code channel} is in a bridge with another channel. */
  void awaitBridged(String channel) {
    awaitTrue(() -> {
      if (sim != null) {
        return sim.bridges().stream()
            .anyMatch(b -> b.channels().contains(channel) && b.channels().size() == 2);
      }
      for (com.fasterxml.jackson.databind.JsonNode b : asterisk.rest("GET", "/bridges", Map.of()).json()) {
        List<String> members = new ArrayList<>();
        b.path("channels").forEach(c -> members.add(c.asText()));
        if (members.contains(channel) && members.size() >= 2) {
          return true;
        }
      }
      return false;
    }, channel + " bridged with another channel");
  }

  /** True when the backend is the simulator (whose request log and state tests may inspect). */
  boolean simulated() {
    return sim != null;
  }

  /**
   * The caller of {@code channel} does what {@code caller} says once a prompt plays: on the
   * simulator it presses the digits now; on a real Asterisk the dialplan does it by itself.
   */
  void callerActs(String channel, Caller caller) {
    if (sim != null) {
      awaitTrue(() -> !sim.playbacks().isEmpty(), "a prompt playing");
      caller.digits().ifPresent(d -> sim.pressDtmf(channel, d));
    }
  }

  /**
   * What an inbound test caller does after the call is answered.
   *
   * @param extension the {@code [phones]} extension of the real-Asterisk test dialplan
   * @param digits what it presses during the first prompt
   */
  record Caller(String extension, Optional<String> digits) {
    static final Caller SILENT = new Caller("answer", Optional.empty());

    /** Presses {@code digits} about 2 s after the answer (while the prompt plays). */
    static Caller pressing(String digits) {
      return new Caller("dtmf-ww" + digits, Optional.of(digits));
    }
  }

  static String callSid(String channel) {
    return CallSid.forChannel(new ChannelRef(SERVER, channel));
  }

  /** Waits until the simulator holds nothing the calls left behind. */
  void awaitClean() {
    if (asterisk != null) {
      awaitTrue(
          () -> asterisk.channelIds().isEmpty() && asterisk.bridgeIds().isEmpty(),
          "no channel or bridge left on Asterisk");
      return;
    }
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
    if (asterisk != null) {
      out.add("channels " + asterisk.channelIds());
      out.add("bridges " + asterisk.bridgeIds());
      return out.toString();
    }
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
    if (sim != null) {
      sim.close();
    }
    app.close();
    if (ownsAsterisk) {
      asterisk.close();
    }
  }
}
