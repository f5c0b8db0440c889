package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Durable calls over real sockets: a node in its own JVM runs a caller in a Gather, two queued
 * callers, a {@code <Dial>} ringing three legs and a {@code <Dial record>} bridged and recording,
 * with its store in an H2 file, is killed with SIGKILL (none of its shutdown runs), and a
 * new node on the same store takes the calls over from the simulator's channels. Each call goes on
 * where its checkpoint left it (the Gather prompt plays again, the queued callers are back at
 * their places with their wait loop, the three legs ring on and the first to answer wins, the
 * bridge stays up and its recording and Dial action come when the callee hangs up), a caller who
 * hung up while no node ran gets its call ended,
 * the application gets every action and exactly one {@code completed} callback per call, and no
 * channel is hung up as an orphan.
 */
class CrashRecoveryEndToEndTest extends CrashFixture {
  private static final Duration WAIT = Duration.ofSeconds(120);
  static final String GATHER_TO = "+15550009001";
  static final String QUEUE_TO = "+15550009002";
  static final String RING_TO = "+15550009003";
  static final String BRIDGE_TO = "+15550009004";
  private static final List<String> GROUP = List.of("+15550008001", "+15550008002", "+15550008003");
  private static final String CALLEE = "+15550008100";
  private static final String LEG_EVENTS =
      " statusCallback=\"/leg\" statusCallbackEvent=\"initiated ringing answered completed\"";

  @Test
  void everyCallGoesOnAfterTheNodeIsKilledAndANewOneStartsOnTheSameStore() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash");
    String ariUrl = startSimulator(dir, "*+1555000800*");
    String store = storeUrl(dir);
    AtomicBoolean restarted = new AtomicBoolean();
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> voice(r, GROUP, CALLEE, 30, 60));
    app.on("/dialed", r -> Response.twiml("<Hangup/>"));
    app.on("/wait", r -> Response.twiml(restarted.get() ? "<Leave/>" : "<Pause length=\"60\"/>"));
    app.on("/gathered", r -> Response.twiml("<Hangup/>"));
    app.on("/left", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);
    String gather = sim.inboundCall("+15557770001", GATHER_TO);
    String gone = sim.inboundCall("+15557770004", GATHER_TO);
    String queued1 = sim.inboundCall("+15557770002", QUEUE_TO);
    app.await("/wait", E2eHarness.callSid(queued1), WAIT);
    Instant joined1 = Instant.now();
    String queued2 = sim.inboundCall("+15557770003", QUEUE_TO);
    app.await("/wait", E2eHarness.callSid(queued2), WAIT);
    String ringing = sim.inboundCall("+15557770005", RING_TO);
    String bridged = sim.inboundCall("+15557770006", BRIDGE_TO);
    Map<String, String> sids = Map.of(gather, E2eHarness.callSid(gather),
        gone, E2eHarness.callSid(gone),
        queued1, E2eHarness.callSid(queued1), queued2, E2eHarness.callSid(queued2),
        ringing, E2eHarness.callSid(ringing), bridged, E2eHarness.callSid(bridged));
    // The three legs ring, the callee answered and its bridge records; all of it in the store.
    Map<String, String> legSids = new HashMap<>();
    for (String number : concat(GROUP, CALLEE)) {
      legSids.put(number, app.await(r -> r.path().equals("/leg") && number.equals(r.param("To"))
          && "ringing".equals(r.param("CallStatus")), "ringing of " + number, WAIT)
          .param("CallSid"));
    }
    Map<String, String> legChannels = new HashMap<>();
    for (var r : sim.log().requests()) {
      if (r.method().equals("POST") && r.path().endsWith("/channels") && r.query() != null) {
        Map<String, String> q = new HashMap<>();
        for (String pair : r.query().split("&")) {
          String[] kv = pair.split("=", 2);
          q.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        legSids.keySet().stream().filter(n -> q.getOrDefault("endpoint", "").contains(n))
            .findFirst().ifPresent(n -> legChannels.put(n, q.get("channelId")));
      }
    }
    assertEquals(legSids.keySet(), legChannels.keySet(), "the legs' originations");
    awaitTrue(() -> sim.liveRecordings().size() == 1, "the dial recording running");
    String recording = sim.liveRecordings().get(0);
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return stored.get("Dial|" + sids.get(ringing)) instanceof DialRecord d
          && d.bridged().isEmpty()
          && stored.get("Dial|" + sids.get(bridged)) instanceof DialRecord b
          && b.bridged().filter(x -> x.recordingStarted()
              && x.recordingSid().equals(recording)).isPresent()
          && legSids.keySet().stream().allMatch(n -> stored.get("Leg|" + legSids.get(n))
              instanceof LegRecord l && l.ringReported()
              && l.answeredAt().isPresent() == n.equals(CALLEE));
    }, "the dials and legs in the store");

    awaitTrue(() -> {
      Map<String, ScriptState> stored = storedScripts(store);
      ScriptState g = stored.get(sids.get(gather));
      ScriptState g2 = stored.get(sids.get(gone));
      ScriptState q1 = stored.get(sids.get(queued1));
      ScriptState q2 = stored.get(sids.get(queued2));
      return g != null && g.awaiting() instanceof ScriptState.Awaiting.Gathering
          && g2 != null && g2.awaiting() instanceof ScriptState.Awaiting.Gathering
          && waitingInQueue(q1) && waitingInQueue(q2);
    }, "the four calls' checkpoints in the store");
    int playsBefore = plays(gather);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    sim.callerHangup(gone);
    restarted.set(true);
    Instant crash = Instant.now();
    Set<TestTwimlApp.Request> beforeCrash = Collections.newSetFromMap(new IdentityHashMap<>());
    beforeCrash.addAll(app.requests());
    Map<String, Long> lookupsBefore = new HashMap<>();
    GROUP.forEach(n -> lookupsBefore.put(n, lookups(legChannels.get(n))));

    startSecond(ariUrl, dir, store, WAIT);

    // The ringing legs are taken back (Asterisk asked about each); one answers now and wins.
    for (String number : GROUP) {
      String channel = legChannels.get(number);
      awaitTrue(() -> lookups(channel) > lookupsBefore.get(number),
          "leg " + number + " taken back");
    }
    String winner = GROUP.get(1);
    sim.answerLeg(legChannels.get(winner));
    for (String loser : List.of(GROUP.get(0), GROUP.get(2))) {
      app.await(r -> r.path().equals("/leg") && legSids.get(loser).equals(r.param("CallSid"))
          && "canceled".equals(r.param("CallStatus")), "canceled of " + loser, WAIT);
    }
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(ringing, legChannels.get(winner)))), "the caller bridged with the winner");
    sim.callerHangup(legChannels.get(winner));
    awaitDialed(app, sids.get(ringing), legSids.get(winner), WAIT);

    // The bridge stayed up; the callee hangs up: the Dial action and the recording arrive.
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(bridged, legChannels.get(CALLEE)))), "the bridge outlived the node");
    sim.callerHangup(legChannels.get(CALLEE));
    TestTwimlApp.Request bridgeDialed =
        awaitDialed(app, sids.get(bridged), legSids.get(CALLEE), WAIT);
    assertEquals(recording, bridgeDialed.param("RecordingSid"));
    awaitRecorded(app, sids.get(bridged), recording, WAIT);

    awaitQueuedCallersBack(app, sids.get(queued1), sids.get(queued2), beforeCrash, joined1, crash,
        WAIT);

    // The Gather's prompt plays again; the digits typed now reach its action.
    awaitTrue(() -> plays(gather) > playsBefore, "the Gather prompt played again");
    sim.pressDtmf(gather, "42");
    assertEquals("42", app.await("/gathered", sids.get(gather), WAIT).param("Digits"));

    for (String channel : sids.keySet()) {
      String sid = sids.get(channel);
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up by its script");
    awaitTrue(() -> sim.bridges().isEmpty(), "every bridge destroyed");
    awaitTrue(() -> storedValues(store).isEmpty(), "the store holds no ended call, dial or leg");

    for (String number : legSids.keySet()) {
      String sid = legSids.get(number);
      List<String> expected = GROUP.get(1).equals(number) || CALLEE.equals(number)
          ? List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3")
          : List.of("initiated:0", "ringing:1", "canceled:2");
      assertEquals(expected, app.requests().stream()
          .filter(r -> r.path().equals("/leg") && sid.equals(r.param("CallSid")))
          .map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber")).toList(),
          "callbacks of leg " + number);
      assertEquals(expected.size() == 3 ? 1 : 0, hangups(legChannels.get(number)),
          "hangups of leg " + number + ": the losers cancelled, none an orphan");
    }
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/dialrec")).count(),
        "one recording callback");
    for (String channel : List.of(ringing, bridged)) {
      assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/dialed")
          && sids.get(channel).equals(r.param("CallSid"))).count(), "one Dial action");
    }

    for (String channel : sids.keySet()) {
      String sid = sids.get(channel);
      List<TestTwimlApp.Request> statuses = app.requests().stream()
          .filter(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))).toList();
      assertEquals(List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3"),
          statuses.stream().map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber"))
              .toList(), "callbacks of " + sid);
      assertEquals(channel.equals(gone) ? 0 : 1, hangups(channel),
          "hangups of " + channel + ": by its script only");
    }
    assertTrue(app.requests().stream().noneMatch(r -> r.path().equals("/gathered")
        && sids.get(gone).equals(r.param("CallSid"))), "the caller who hung up typed nothing");
  }

  /**
   * The scenario's application at {@code /voice}, by the number called: a Gather (waiting {@code
   * gatherTimeout} s for digits after its prompt), a Dial of the three {@code group} numbers
   * (ringing {@code dialTimeout} s), a recording Dial of {@code callee}, else an Enqueue; every leg
   * reports to {@code /leg}.
   */
  static Response voice(TestTwimlApp.Request r, List<String> group, String callee,
      int gatherTimeout, int dialTimeout) {
    return switch (r.param("To")) {
      case GATHER_TO -> Response.twiml("<Gather numDigits=\"2\" action=\"/gathered\""
          + " timeout=\"" + gatherTimeout + "\"><Play>sound:demo-congrats</Play></Gather>");
      case RING_TO -> Response.twiml("<Dial action=\"/dialed\" timeout=\"" + dialTimeout + "\">"
          + group.stream().map(n -> "<Number" + LEG_EVENTS + ">" + n + "</Number>")
              .collect(Collectors.joining()) + "</Dial>");
      case BRIDGE_TO -> Response.twiml("<Dial action=\"/dialed\" record=\"record-from-answer\""
          + " recordingStatusCallback=\"/dialrec\"><Number" + LEG_EVENTS + ">" + callee
          + "</Number></Dial>");
      default -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue>");
    };
  }

  private int plays(String channel) {
    return (int) sim.log().requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().contains("/channels/" + channel + "/play"))
        .count();
  }

  private static void awaitTrue(Supplier<Boolean> condition, String description) {
    awaitTrue(condition, description, WAIT);
  }
}
