package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link CrashRecoveryEndToEndTest} on a real Asterisk 22: a node in its own JVM serves a caller
 * in a {@code <Gather>}, a second one in a Gather who will hang up, and two queued callers, with
 * its store in an H2 file; it is killed with SIGKILL (none of its shutdown runs), one caller
 * hangs up while no node runs, and a new node on the same store takes the calls over from the
 * channels Asterisk still holds. The callers are the test dialplan's {@code llamenos-caller}
 * (Local channels into {@code [switchboard-in]}; they talk all along and press what the test
 * cues). Every call ends with its callbacks exactly as without the crash (the Gather's prompt
 * plays again), nothing is hung up as an orphan, no channel or bridge is left, and the store is
 * empty.
 */
@Tag(RealAsterisk.TAG)
class CrashRecoveryOnAsteriskTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String GATHER_TO = "+15550009001";
  private static final String QUEUE_TO = "+15550009002";

  private TestTwimlApp app;
  private Process first;
  private SwitchboardNode second;

  @AfterEach
  void tearDown() {
    if (first != null) {
      first.destroyForcibly();
    }
    if (second != null) {
      second.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void everyCallGoesOnAfterTheNodeIsKilledAndANewOneStartsOnTheSameStore() throws Exception {
    RealAsterisk asterisk = RealAsterisk.shared();
    Path dir = Files.createTempDirectory("switchboard-crash-asterisk");
    String store = "jdbc:h2:file:" + dir.resolve("store/switchboard") + ";AUTO_SERVER=TRUE";
    AtomicBoolean restarted = new AtomicBoolean();
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> r.param("To").equals(GATHER_TO)
        ? Response.twiml("<Gather numDigits=\"2\" action=\"/gathered\" timeout=\"30\">"
            + "<Play>sound:demo-congrats</Play></Gather>")
        : Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue>"));
    app.on("/wait", r -> Response.twiml(restarted.get() ? "<Leave/>" : "<Pause length=\"60\"/>"));
    app.on("/gathered", r -> Response.twiml("<Hangup/>"));
    app.on("/left", r -> Response.twiml("<Hangup/>"));

    first = CrashRecoveryEndToEndTest.startInItsOwnJvm(List.of(asterisk.ariUrl(),
        app.url("/").toString(), dir.toString(), store, asterisk.user(), asterisk.password()), dir);
    awaitTrue(() -> Files.exists(dir.resolve("ready")),
        "the first node up (log: " + dir.resolve("first-node.log") + ")",
        CrashRecoveryEndToEndTest.START_WAIT);
    String tag = "crash" + System.nanoTime();
    String gather = asterisk.inboundCall(tag + "-g", "+15557770001", GATHER_TO,
        "llamenos-caller@sbtest-phones");
    String gone = asterisk.inboundCall(tag + "-h", "+15557770004", GATHER_TO,
        "llamenos-caller@sbtest-phones");
    String queued1 = asterisk.inboundCall(tag + "-q1", "+15557770002", QUEUE_TO,
        "llamenos-caller@sbtest-phones");
    app.await("/wait", E2eHarness.callSid(queued1), WAIT);
    Instant joined1 = Instant.now();
    String queued2 = asterisk.inboundCall(tag + "-q2", "+15557770003", QUEUE_TO,
        "llamenos-caller@sbtest-phones");
    app.await("/wait", E2eHarness.callSid(queued2), WAIT);
    List<String> channels = List.of(gather, gone, queued1, queued2);
    Map<String, String> sids = Map.of(gather, E2eHarness.callSid(gather),
        gone, E2eHarness.callSid(gone),
        queued1, E2eHarness.callSid(queued1), queued2, E2eHarness.callSid(queued2));

    awaitTrue(() -> {
      Map<String, ScriptState> stored = CrashRecoveryEndToEndTest.storedScripts(store);
      return gathering(stored.get(sids.get(gather))).isPresent()
          && gathering(stored.get(sids.get(gone))).isPresent()
          && CrashRecoveryEndToEndTest.waitingInQueue(stored.get(sids.get(queued1)))
          && CrashRecoveryEndToEndTest.waitingInQueue(stored.get(sids.get(queued2)));
    }, "the four calls' checkpoints in the store");
    Optional<String> promptBefore = gathering(
        CrashRecoveryEndToEndTest.storedScripts(store).get(sids.get(gather))).orElseThrow();

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    asterisk.rest("DELETE", "/channels/" + gone.replaceFirst("-in$", "-caller"), Map.of());
    awaitTrue(() -> !asterisk.channelIds().contains(gone), "the caller who hung up gone");
    restarted.set(true);
    Instant crash = Instant.now();
    Set<TestTwimlApp.Request> beforeCrash = Collections.newSetFromMap(new IdentityHashMap<>());
    beforeCrash.addAll(app.requests());

    second = E2eHarness.startNode(asterisk.ariUrl(), asterisk.user(), asterisk.password(),
        CrashableNode.application(app.url("/")), dir,
        Map.of("switchboard.store.kind", "h2", "switchboard.store.url", store,
            "switchboard.overload.enabled", "false"),
        Clock.systemUTC());
    awaitTrue(() -> {
      LinkStatus link = second.ari().links().get(E2eHarness.SERVER);
      return link != null && link.connected();
    }, "the second node's ARI link");

    // The queued callers are back at their places; their wait documents are requested again.
    TestTwimlApp.Request wait1 = app.await(r -> r.path().equals("/wait")
        && sids.get(queued1).equals(r.param("CallSid")) && r.params().containsKey("QueuePosition")
        && !beforeCrash.contains(r), "the first caller's wait URL after the restart", WAIT);
    assertEquals("1", wait1.param("QueuePosition"));
    TestTwimlApp.Request left1 = app.await("/left", sids.get(queued1), WAIT);
    assertEquals("leave", left1.param("QueueResult"));
    long spent = Long.parseLong(left1.param("QueueTime"));
    assertTrue(spent >= Duration.between(joined1, crash).toSeconds(),
        "QueueTime counts from the first join: " + spent);
    assertEquals("leave", app.await("/left", sids.get(queued2), WAIT).param("QueueResult"));

    // The Gather starts again (its checkpoint names a new prompt); the digits pressed now reach
    // its action.
    awaitTrue(() -> {
      Optional<Optional<String>> now = gathering(
          CrashRecoveryEndToEndTest.storedScripts(store).get(sids.get(gather)));
      return now.isPresent() && now.get().isPresent() && !now.get().equals(promptBefore);
    }, "the Gather prompt playing again");
    RealAsterisk.Reply cue = asterisk.rest("POST", "/asterisk/variable", Map.of(
        "variable", "SBCUE_" + gather.replaceFirst("-in$", "-caller").replaceAll("[^0-9a-zA-Z]", ""),
        "value", "42"));
    assertEquals(204, cue.status(), cue.body());
    assertEquals("42", app.await("/gathered", sids.get(gather), WAIT).param("Digits"));

    for (String channel : channels) {
      String sid = sids.get(channel);
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> asterisk.channelIds().stream().noneMatch(c -> c.startsWith(tag))
        && asterisk.bridgeIds().isEmpty(), "no channel or bridge of the calls left on Asterisk");
    awaitTrue(() -> CrashRecoveryEndToEndTest.storedScripts(store).isEmpty(),
        "the store holds no ended call");

    for (String channel : channels) {
      String sid = sids.get(channel);
      List<TestTwimlApp.Request> statuses = app.requests().stream()
          .filter(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))).toList();
      assertEquals(List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3"),
          statuses.stream().map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber"))
              .toList(), "callbacks of " + sid);
    }
    assertTrue(app.requests().stream().noneMatch(r -> r.path().equals("/gathered")
        && sids.get(gone).equals(r.param("CallSid"))), "the caller who hung up typed nothing");
    assertEquals(0, app.requests().stream().filter(r -> r.path().equals("/gathered")
        && sids.get(gather).equals(r.param("CallSid")) && beforeCrash.contains(r)).count(),
        "no Gather action before the crash");
    assertNotEquals(Optional.empty(), promptBefore, "a prompt played before the crash");
  }

  /** The playback of a stored Gather (empty between prompts), or empty if not in a Gather. */
  private static Optional<Optional<String>> gathering(ScriptState s) {
    return s != null && s.awaiting() instanceof ScriptState.Awaiting.Gathering g
        ? Optional.of(g.progress().playbackId()) : Optional.empty();
  }

  private void awaitTrue(Supplier<Boolean> condition, String description) {
    awaitTrue(condition, description, WAIT);
  }

  private void awaitTrue(Supplier<Boolean> condition, String description, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      synchronized (this) {
        try {
          wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
    throw new AssertionError("timed out waiting for " + description);
  }
}
