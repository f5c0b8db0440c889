package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.CallCheckpoints;
import org.switchboard.engine.cluster.KryoRegistrations;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.ring.RingRecord;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.stream.TestApp;

/**
 * What the crash tests share: the simulator, the test application, the first node in a JVM of its
 * own ({@link CrashableNode}, killed with SIGKILL) and the second node started in the test on the
 * same H2 file, all stopped after each test; and how they look at what survived the crash: the
 * store's rows as the next node reads them, the simulator's requests, the application's callbacks.
 */
abstract class CrashFixture {
  /** A node JVM's start on a machine shared with other builds (seen taking 60-90 s). */
  static final Duration START_WAIT = Duration.ofSeconds(240);

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
    awaitTrue(() -> {
      LinkStatus link = second.ari().links().get(E2eHarness.SERVER);
      return link != null && link.connected();
    }, "the second node's ARI link", wait);
  }

  /** A client of the first node's HTTP API, at the address it wrote to {@code dir/ready}. */
  static ApiClient firstNodeApi(Path dir) throws IOException {
    String address = Files.readString(dir.resolve("ready"));
    return new ApiClient(URI.create("http://127.0.0.1:"
        + Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).trim())));
  }

  /**
   * Waits until the store holds no row at all, not even an empty one (every call, dial, leg, ring
   * and conference ended); the failure names the rows left.
   */
  static void storeEmpties(String store, Duration wait) {
    try {
      awaitTrue(() -> storedIds(store).isEmpty(), "the store holds nothing that ended", wait);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + storedIds(store), e);
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
    first = startInItsOwnJvm(List.of(ariUrl, app.url("/").toString(), dir.toString(), store), dir);
  }

  /**
   * A {@link CrashableNode} with {@code args}, its output in {@code dir/first-node.log}, once it
   * is up (it wrote {@code dir/ready}); killed when it does not come up.
   */
  static Process startInItsOwnJvm(List<String> args, Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = dir.resolve("first-node.log").toFile();
    List<String> command = new ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), CrashableNode.class.getName()));
    command.addAll(args);
    Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    try {
      awaitTrue(() -> Files.exists(dir.resolve("ready")), "the first node up (log: " + log + ")",
          START_WAIT);
    } catch (AssertionError e) {
      node.destroyForcibly();
      throw e;
    }
    return node;
  }

  /**
   * The Dial action of the call {@code parentSid}: its leg {@code legSid} was bridged and the dial
   * completed.
   */
  static TestTwimlApp.Request awaitDialed(TestTwimlApp app, String parentSid, String legSid,
      Duration wait) {
    TestTwimlApp.Request dialed = app.await("/dialed", parentSid, wait);
    assertEquals("completed", dialed.param("DialCallStatus"));
    assertEquals(legSid, dialed.param("DialCallSid"));
    assertEquals("true", dialed.param("DialBridged"));
    return dialed;
  }

  /** The completed recording callback of the call {@code parentSid}'s dial {@code recording}. */
  static TestTwimlApp.Request awaitRecorded(TestTwimlApp app, String parentSid, String recording,
      Duration wait) {
    TestTwimlApp.Request callback = app.await("/dialrec", parentSid, wait);
    assertEquals("completed", callback.param("RecordingStatus"));
    assertEquals(recording, callback.param("RecordingSid"));
    return callback;
  }

  /**
   * The two callers queued at the crash are back at their places: the first one's wait document
   * is requested again (not one of {@code beforeCrash}) at position 1, both leave the queue with
   * {@code leave}, and the first one's QueueTime counts from its first join, before the crash.
   */
  static void awaitQueuedCallersBack(TestTwimlApp app, String firstSid, String secondSid,
      Set<TestTwimlApp.Request> beforeCrash, Instant joined, Instant crash, Duration wait) {
    TestTwimlApp.Request wait1 = app.await(r -> r.path().equals("/wait")
        && firstSid.equals(r.param("CallSid")) && r.params().containsKey("QueuePosition")
        && !beforeCrash.contains(r), "the first caller's wait URL after the restart", wait);
    assertEquals("1", wait1.param("QueuePosition"));
    TestTwimlApp.Request left1 = app.await("/left", firstSid, wait);
    assertEquals("leave", left1.param("QueueResult"));
    long spent = Long.parseLong(left1.param("QueueTime"));
    assertTrue(spent >= Duration.between(joined, crash).toSeconds(),
        "QueueTime counts from the first join: " + spent);
    assertEquals("leave", app.await("/left", secondSid, wait).param("QueueResult"));
  }

  /**
   * A queued caller's checkpoint: in its queue, waiting for it (the wait document's own steps, its
   * Pause included, write nothing: a restart rejoins the queue from any of them).
   */
  static boolean waitingInQueue(ScriptState s) {
    return s != null && s.queue().isPresent()
        && s.awaiting() instanceof ScriptState.Awaiting.Delegated d
        && d.delegate() == ScriptState.Delegate.QUEUE;
  }

  /** A caller's stored value once a dial took it out of its queue (bridged or being bridged). */
  static boolean takenFromQueue(Object stored) {
    return stored instanceof ScriptState s
        && s.awaiting() instanceof ScriptState.Awaiting.Delegated d
        && d.delegate() == ScriptState.Delegate.QUEUE_BRIDGED;
  }

  /** The script state of every call in the store, read as the next node would. */
  static Map<String, ScriptState> storedScripts(String url) {
    Map<String, ScriptState> out = new HashMap<>();
    storedValues(url).forEach((id, value) -> {
      if (value instanceof ScriptState script) {
        out.put(id.substring("Call|".length()), script);
      }
    });
    return out;
  }

  /** The persistence id of every row of the store, holding a value or not. */
  static List<String> storedIds(String url) {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "switchboard", "");
        ResultSet rows = c.createStatement().executeQuery(
            "SELECT \"persistence_id\" FROM \"durable_state\"")) {
      while (rows.next()) {
        out.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new AssertionError("reading the store: " + e, e);
    }
    return out;
  }

  /**
   * Every live value in the store by persistence id, read as the next node would: a call's script
   * state, a dial's {@link DialRecord}, a leg's {@link LegRecord}.
   */
  static Map<String, Object> storedValues(String url) {
    Kryo kryo = KryoRegistrations.newKryo(null, List.of());
    Map<String, Object> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, "switchboard", "");
        ResultSet rows = c.createStatement().executeQuery(
            "SELECT \"persistence_id\", \"state_payload\" FROM \"durable_state\"")) {
      while (rows.next()) {
        Object value = kryo.readClassAndObject(new Input(rows.getBytes(2)));
        if (value instanceof CallCheckpoints.Stored stored && stored.live().isPresent()) {
          out.put(rows.getString(1), stored.live().get().script());
        } else if (value instanceof DurableSlot.Stored stored && stored.value().isPresent()) {
          out.put(rows.getString(1), stored.value().get());
        }
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("not found")) {
        return out;
      }
      throw new AssertionError("reading the store: " + e, e);
    }
    return out;
  }

  /** {@code some} and then {@code one}. */
  static List<String> concat(Collection<String> some, String one) {
    List<String> all = new ArrayList<>(some);
    all.add(one);
    return all;
  }

  /** Polls {@code condition} every 50 ms until it holds, failing after {@code wait}. */
  static void awaitTrue(Supplier<Boolean> condition, String description, Duration wait) {
    Object lock = new Object();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      synchronized (lock) {
        try {
          lock.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
    throw new AssertionError("timed out waiting for " + description);
  }
}
