package org.switchboard.http.e2e;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.ring.RingRecord;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.stream.TestApp;

/**
 * What the crash tests share: the simulator, the test application, the first node in a JVM of its
 * own ({@link CrashableNode}, killed with SIGKILL) and the second node started in the test on the
 * same H2 file; all stopped after each test.
 */
abstract class CrashFixture {
  final AriSimulator sim = new AriSimulator();
  TestTwimlApp app;
  Process first;
  SwitchboardNode second;

  /** The actor system of {@link #streamApp}, if a test made one. */
  private ActorSystem<Void> streamSystem;

  @AfterEach
  void stop() {
    if (streamSystem != null) {
      streamSystem.terminate();
    }
    if (first != null) {
      first.destroyForcibly();
    }
    if (second != null) {
      second.close();
    }
    sim.close();
    if (app != null) {
      app.close();
    }
  }

  /** A Media Streams application on 127.0.0.1 for the test, stopped after it. */
  TestApp streamApp() throws Exception {
    streamSystem = ActorSystem.create(Behaviors.empty(), "stream-app");
    return new TestApp(streamSystem);
  }

  /**
   * Starts the simulator (recordings under {@code dir}; dialled numbers matching {@code
   * ringingPattern} ring until told, the others answer after 500 ms); answers its ARI URL.
   */
  String startSimulator(Path dir, String ringingPattern) {
    int port = sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in")
        .withRecordingsDir(dir.resolve("recordings"))
        .withDialRules(List.of(new DialRule(ringingPattern, DialBehaviour.parse("no-answer"))),
            DialBehaviour.parse("answer-after-500")));
    return "http://127.0.0.1:" + port + "/ari";
  }

  /** The H2 store of both nodes under {@code dir}. */
  static String storeUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("store/switchboard") + ";AUTO_SERVER=TRUE";
  }

  /** Starts the second node on {@code store} and waits for its ARI link. */
  void startSecond(String ariUrl, Path dir, String store, Duration wait) {
    second = E2eHarness.startNode(ariUrl, "asterisk", "asterisk",
        CrashableNode.application(app.url("/")), dir, CrashableNode.settings(store),
        Clock.systemUTC());
    CrashRecoveryEndToEndTest.awaitTrue(() -> {
      LinkStatus link = second.ari().links().get(E2eHarness.SERVER);
      return link != null && link.connected();
    }, "the second node's ARI link", wait);
  }

  /** The port of a node's HTTP address as {@link CrashableNode} writes it ({@code host:port}). */
  static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).trim());
  }

  /** Waits until the store holds no row at all (every call, dial and conference ended). */
  static void storeEmpties(String store, Duration wait) {
    try {
      CrashRecoveryEndToEndTest.awaitTrue(() -> CrashRecoveryEndToEndTest.storedIds(store)
          .isEmpty(), "the store holds nothing that ended", wait);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": "
          + CrashRecoveryEndToEndTest.storedValues(store).keySet(), e);
    }
  }

  /** How many times Switchboard asked the simulator to hang up {@code channel}. */
  long hangups(String channel) {
    return sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + channel))
        .count();
  }

  /** The stored rings of the caller {@code parentCallSid} ({@code Ring|<parent>-<ring id>}). */
  static List<RingRecord> storedRings(Map<String, Object> stored, String parentCallSid) {
    return stored.entrySet().stream()
        .filter(e -> e.getKey().startsWith("Ring|" + parentCallSid + "-"))
        .map(Map.Entry::getValue).filter(RingRecord.class::isInstance)
        .map(RingRecord.class::cast).toList();
  }

  /** The status callbacks to {@code path} of {@code sid}, as {@code CallStatus:SequenceNumber}. */
  List<String> callbacks(String path, String sid) {
    return app.requests().stream()
        .filter(r -> r.path().equals(path) && sid.equals(r.param("CallSid")))
        .map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber")).toList();
  }

  /** How many times Switchboard asked the simulator about {@code channel}. */
  long lookups(String channel) {
    return sim.log().requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().endsWith("/channels/" + channel))
        .count();
  }

  /** Starts the first node in a JVM of its own on {@code store} and waits until it is up. */
  void startFirst(String ariUrl, Path dir, String store) throws Exception {
    first = CrashRecoveryEndToEndTest.startInItsOwnJvm(
        List.of(ariUrl, app.url("/").toString(), dir.toString(), store), dir);
    CrashRecoveryEndToEndTest.awaitTrue(() -> java.nio.file.Files.exists(dir.resolve("ready")),
        "the first node up (log: " + dir.resolve("first-node.log") + ")",
        CrashRecoveryEndToEndTest.START_WAIT);
  }
}
