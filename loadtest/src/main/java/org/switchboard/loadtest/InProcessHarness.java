package org.switchboard.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.client.RestTransport;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.SimClock;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;

/** Everything in this JVM: the ARI simulator, a Switchboard node, and the test app on the node. */
final class InProcessHarness implements Harness {
  static final String SERVER_ID = "sim";

  private final InProcessSim sim;
  private final SwitchboardNode node;
  private final Ringer ringer;
  private final WebhookTaps webhooks = new WebhookTaps();

  InProcessHarness(Profile profile) throws Exception {
    Path work = Files.createTempDirectory("switchboard-loadtest");
    AriSimulator simulator = new AriSimulator();
    int simPort =
        simulator.start(
            simConfig(work.resolve("recordings")));
    sim = new InProcessSim(simulator);
    int port = Main.freePort("127.0.0.1");
    String url = "http://127.0.0.1:" + port;
    Map<String, Object> overrides = new HashMap<>(Harness.nodeOverrides(work));
    overrides.put("switchboard.http.host", "127.0.0.1");
    overrides.put("switchboard.http.public-url", url);
    Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load());
    SwitchboardSettings base = SwitchboardSettings.fromConfig(config);
    TestApp app = new TestApp(profile, url, webhooks);
    VoiceApplication application = application(app);
    AriServerConfig b =
        AriServerConfig.basic(
            SERVER_ID, "http://127.0.0.1:" + simPort + "/ari", "switchboard", "asterisk",
            "asterisk");
    // switchboard.ari.rest-transport (or SWITCHBOARD_ARI_REST_TRANSPORT) picks how commands go.
    AriServerConfig server = b.withMaxConnections(Harness.ARI_CONNECTIONS)
        .withRestTransport(RestTransport.parse(config.getString("switchboard.ari.rest-transport")));
    SwitchboardSettings settings =
        base.withHttpPort(port).withAsterisk(List.of(server), application);
    try {
      node = SwitchboardNode.start(config, settings, application, List.of(app.route()),
          Clock.systemUTC());
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
    ringer = new Ringer(URI.create(url), url + "/lt/volunteer");
    waitForLink(node, Duration.ofSeconds(30));
  }

  /** The simulator settings every mode uses (real clock, volunteers' dial rules). */
  static SimConfig simConfig(Path recordings) {
    return SimConfig.defaults()
        .withClock(SimClock.real())
        .withApp("switchboard", "switchboard-in")
        .withRecordingsDir(recordings)
        .withDialRules(Harness.volunteerRules(), DialBehaviour.parse("answer-after-1000"));
  }

  static VoiceApplication application(TestApp app) {
    return new VoiceApplication(
        URI.create(app.voiceUrl()), Method.POST, Optional.empty(), Method.POST,
        Optional.of(URI.create(app.statusUrl())), Method.POST, Set.of("completed"));
  }

  @Override
  public SimControl sim() {
    return sim;
  }

  @Override
  public WebhookTaps webhooks() {
    return webhooks;
  }

  @Override
  public String nodeUrl() {
    return "http://127.0.0.1:" + node.httpAddress().getPort();
  }

  /** The node under test. */
  SwitchboardNode node() {
    return node;
  }

  @Override
  public void ring(LoadCall call) {
    ringer.ring(call);
  }

  @Override
  public int liveQueues() {
    return node.operations().queues().names().size();
  }

  @Override
  public long ringFailures() {
    return ringer.failures();
  }

  @Override
  public java.util.Optional<org.switchboard.asterisk.client.OwnLatency> ownLatency() {
    return java.util.Optional.of(node.ari().ownLatency());
  }

  @Override
  public Map<String, Long> storeTraffic() {
    return node.storeTraffic();
  }

  private static void waitForLink(SwitchboardNode node, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      LinkStatus status = node.ari().links().get(SERVER_ID);
      if (status != null && status.connected()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the ARI link to the simulator did not come up in " + timeout);
  }

  @Override
  public void close() {
    node.close();
    sim.close();
  }
}
