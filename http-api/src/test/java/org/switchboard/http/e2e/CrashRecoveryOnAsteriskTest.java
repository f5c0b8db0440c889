package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.realasterisk.ChannelWatch;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link CrashRecoveryEndToEndTest} on a real Asterisk 22: a node in its own JVM serves a caller
 * in a {@code <Gather>}, a second one in a Gather who will hang up, two queued callers, a {@code
 * <Dial>} ringing three phones and a {@code <Dial record="record-from-answer">} bridged to a phone
 * that answered, with its store in an H2 file; it is killed with SIGKILL (none of its shutdown
 * runs), one caller hangs up while no node runs, and a new node on the same store takes the calls
 * over from the channels Asterisk still holds. The callers are the test dialplan's {@code
 * llamenos-caller} (Local channels into {@code [switchboard-in]}; they talk all along and press
 * what the test cues); the dialled phones are its {@code [sbtest-commanded]} phones, which ring
 * until the test tells one to answer or hang up. The three phones ring on through the crash, the
 * one told to answer after it wins and the other two are cancelled; the bridge stays up with its
 * recording, and its Dial action and recording callback come when its phone hangs up.
 *
 * <p>Every call ends with its callbacks exactly as without the crash (the Gather's prompt plays
 * again), and Asterisk itself, watched by an application of its own ({@link ChannelWatch}), shows
 * each channel hung up once, by its own script: each inbound channel by one ARI hangup after its
 * last action (none for the caller who hung up), each cancelled phone by one after the winner
 * answered, the phones that hung up by none; every channel the scenario made is gone at the end,
 * no bridge is left, and the store is empty.
 */
@Tag(RealAsterisk.TAG)
class CrashRecoveryOnAsteriskTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String GATHER_TO = CrashRecoveryEndToEndTest.GATHER_TO;
  private static final String QUEUE_TO = CrashRecoveryEndToEndTest.QUEUE_TO;
  private static final String RING_TO = CrashRecoveryEndToEndTest.RING_TO;
  private static final String BRIDGE_TO = CrashRecoveryEndToEndTest.BRIDGE_TO;
  /** Phones of {@code [sbtest-commanded]}: they ring until told to answer or hang up. */
  private static final List<String> GROUP = List.of("+15550600001", "+15550600002", "+15550600003");
  private static final String CALLEE = "+15550600100";
  private static final Map<String, String> DIAL_INTO_TEST_PHONES =
      Map.of("switchboard.dial.number-template", "Local/{number}@sbtest-numbers");

  private TestTwimlApp app;
  private ChannelWatch watch;
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
    if (watch != null) {
      // A failed run leaves no phone ringing into the next one.
      watch.live().forEach(id -> RealAsterisk.shared().rest("DELETE", "/channels/" + id, Map.of()));
      watch.close();
    }
  }

  @Test
  void everyCallGoesOnAfterTheNodeIsKilledAndANewOneStartsOnTheSameStore() throws Exception {
    RealAsterisk asterisk = RealAsterisk.shared();
    for (String phone : CrashFixture.concat(GROUP, CALLEE)) {
      tell(asterisk, phone, phone.equals(CALLEE) ? "answer" : "ring");
    }
    watch = ChannelWatch.open(asterisk);
    Path dir = Files.createTempDirectory("switchboard-crash-asterisk");
    String store = "jdbc:h2:file:" + dir.resolve("store/switchboard") + ";AUTO_SERVER=TRUE";
    AtomicBoolean restarted = new AtomicBoolean();
    // When each call's last action was answered (System.nanoTime): its script hangs up after it.
    Map<String, Long> lastAction = new ConcurrentHashMap<>();
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    // A Gather that outwaits the node's start; phones that ring through the crash.
    app.on("/voice", r -> CrashRecoveryEndToEndTest.voice(r, GROUP, CALLEE, 300, 300));
    app.on("/wait", r -> Response.twiml(restarted.get() ? "<Leave/>" : "<Pause length=\"60\"/>"));
    for (String action : List.of("/gathered", "/left", "/dialed")) {
      app.on(action, r -> {
        lastAction.put(r.param("CallSid"), System.nanoTime());
        return Response.twiml("<Hangup/>");
      });
    }

    List<String> args = new ArrayList<>(List.of(asterisk.ariUrl(), app.url("/").toString(),
        dir.toString(), store, asterisk.user(), asterisk.password()));
    DIAL_INTO_TEST_PHONES.forEach((k, v) -> args.add(k + "=" + v));
    first = CrashFixture.startInItsOwnJvm(args, dir);
    String tag = "crash" + System.nanoTime();
    String gather = inbound(asterisk, tag + "-g", "+15557770001", GATHER_TO);
    String gone = inbound(asterisk, tag + "-h", "+15557770004", GATHER_TO);
    String queued1 = inbound(asterisk, tag + "-q1", "+15557770002", QUEUE_TO);
    app.await("/wait", E2eHarness.callSid(queued1), WAIT);
    Instant joined1 = Instant.now();
    String queued2 = inbound(asterisk, tag + "-q2", "+15557770003", QUEUE_TO);
    app.await("/wait", E2eHarness.callSid(queued2), WAIT);
    String ringing = inbound(asterisk, tag + "-r", "+15557770005", RING_TO);
    String bridged = inbound(asterisk, tag + "-b", "+15557770006", BRIDGE_TO);
    List<String> channels = List.of(gather, gone, queued1, queued2, ringing, bridged);
    Map<String, String> sids = new LinkedHashMap<>();
    channels.forEach(c -> sids.put(c, E2eHarness.callSid(c)));

    // The three phones ring, the callee answered and its bridge records; all of it in the store.
    Map<String, String> legSids = new HashMap<>();
    for (String number : CrashFixture.concat(GROUP, CALLEE)) {
      legSids.put(number, app.await(r -> r.path().equals("/leg") && number.equals(r.param("To"))
          && "ringing".equals(r.param("CallStatus")), "ringing of " + number, WAIT)
          .param("CallSid"));
    }
    awaitTrue(() -> {
      Map<String, Object> stored = CrashFixture.storedValues(store);
      return stored.get("Dial|" + sids.get(ringing)) instanceof DialRecord d
          && d.bridged().isEmpty()
          && stored.get("Dial|" + sids.get(bridged)) instanceof DialRecord b
          && b.bridged().filter(DialRecord.Bridged::recordingStarted).isPresent()
          && legSids.keySet().stream().allMatch(n -> stored.get("Leg|" + legSids.get(n))
              instanceof LegRecord l && l.ringReported()
              && l.answeredAt().isPresent() == n.equals(CALLEE));
    }, "the dials and legs in the store");
    Map<String, Object> storedAtCrash = CrashFixture.storedValues(store);
    Map<String, String> legChannels = new HashMap<>();
    legSids.forEach((number, sid) ->
        legChannels.put(number, ((LegRecord) storedAtCrash.get("Leg|" + sid)).spec().channelId()));
    DialRecord.Bridged bridge = ((DialRecord) storedAtCrash.get("Dial|" + sids.get(bridged)))
        .bridged().orElseThrow();
    String recording = bridge.recordingSid();
    assertEquals(legChannels.get(CALLEE), bridge.channel().channelId());
    RealAsterisk.Reply live = asterisk.rest("GET", "/recordings/live/" + recording, Map.of());
    assertEquals(200, live.status(), "the dial recording runs on Asterisk: " + live.body());

    awaitTrue(() -> {
      Map<String, ScriptState> stored = CrashFixture.storedScripts(store);
      return gathering(stored.get(sids.get(gather))).isPresent()
          && gathering(stored.get(sids.get(gone))).isPresent()
          && CrashFixture.waitingInQueue(stored.get(sids.get(queued1)))
          && CrashFixture.waitingInQueue(stored.get(sids.get(queued2)));
    }, "the four calls' checkpoints in the store");
    Optional<String> promptBefore = gathering(
        CrashFixture.storedScripts(store).get(sids.get(gather))).orElseThrow();

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    asterisk.rest("DELETE", "/channels/" + caller(gone), Map.of());
    awaitTrue(() -> !asterisk.channelIds().contains(gone), "the caller who hung up gone");
    restarted.set(true);
    Instant crash = Instant.now();
    Set<TestTwimlApp.Request> beforeCrash = Collections.newSetFromMap(new IdentityHashMap<>());
    beforeCrash.addAll(app.requests());

    Map<String, String> settings = new HashMap<>(CrashableNode.settings(store));
    settings.putAll(DIAL_INTO_TEST_PHONES);
    second = E2eHarness.startNode(asterisk.ariUrl(), asterisk.user(), asterisk.password(),
        CrashableNode.application(app.url("/")), dir, settings, Clock.systemUTC());
    awaitTrue(() -> {
      LinkStatus link = second.ari().links().get(E2eHarness.SERVER);
      return link != null && link.connected();
    }, "the second node's ARI link");

    // The ringing legs are taken back, still ringing on Asterisk; one phone answers now and wins.
    awaitTrue(() -> GROUP.stream().allMatch(n -> "ringing".equals(
        liveStatus(second, legSids.get(n)))), "the three legs taken back, ringing");
    assertTrue(watch.live().containsAll(GROUP.stream().map(legChannels::get).toList()),
        "the three phones rang through the crash");
    String winner = GROUP.get(1);
    long answeredAt = System.nanoTime();
    tell(asterisk, winner, "answer");
    for (String loser : List.of(GROUP.get(0), GROUP.get(2))) {
      app.await(r -> r.path().equals("/leg") && legSids.get(loser).equals(r.param("CallSid"))
          && "canceled".equals(r.param("CallStatus")), "canceled of " + loser, WAIT);
    }
    awaitTrue(() -> bridgeHolding(asterisk, ringing, legChannels.get(winner)),
        "the caller bridged with the winner");
    tell(asterisk, winner, "hangup");
    CrashFixture.awaitDialed(app, sids.get(ringing), legSids.get(winner), WAIT);

    // The bridge stayed up with its recording; the phone hangs up: the Dial action and the
    // recording callback arrive.
    assertTrue(bridgeHolding(asterisk, bridged, legChannels.get(CALLEE)),
        "the bridge outlived the node");
    tell(asterisk, CALLEE, "hangup");
    TestTwimlApp.Request bridgeDialed =
        CrashFixture.awaitDialed(app, sids.get(bridged), legSids.get(CALLEE), WAIT);
    assertEquals(recording, bridgeDialed.param("RecordingSid"));
    TestTwimlApp.Request dialRecording =
        CrashFixture.awaitRecorded(app, sids.get(bridged), recording, WAIT);
    assertTrue(Integer.parseInt(dialRecording.param("RecordingDuration")) >= 1,
        "the recording spans the crash: " + dialRecording.params());

    CrashFixture.awaitQueuedCallersBack(app, sids.get(queued1), sids.get(queued2), beforeCrash,
        joined1, crash, WAIT);

    // The Gather starts again (its checkpoint names a new prompt); the digits pressed now reach
    // its action.
    awaitTrue(() -> {
      Optional<Optional<String>> now = gathering(
          CrashFixture.storedScripts(store).get(sids.get(gather)));
      return now.isPresent() && now.get().isPresent() && !now.get().equals(promptBefore);
    }, "the Gather prompt playing again");
    RealAsterisk.Reply cue = asterisk.rest("POST", "/asterisk/variable", Map.of(
        "variable", "SBCUE_" + caller(gather).replaceAll("[^0-9a-zA-Z]", ""), "value", "42"));
    assertEquals(204, cue.status(), cue.body());
    assertEquals("42", app.await("/gathered", sids.get(gather), WAIT).param("Digits"));

    for (String sid : sids.values()) {
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> watch.live().isEmpty() && asterisk.bridgeIds().isEmpty(),
        "no channel or bridge of the calls left on Asterisk");
    awaitTrue(() -> CrashFixture.storedValues(store).isEmpty(),
        "the store holds no ended call, dial or leg");

    for (String channel : channels) {
      String sid = sids.get(channel);
      assertEquals(List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3"),
          callbacks("/status", sid), "callbacks of " + sid);
    }
    for (String number : legSids.keySet()) {
      List<String> expected = number.equals(winner) || number.equals(CALLEE)
          ? List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3")
          : List.of("initiated:0", "ringing:1", "canceled:2");
      assertEquals(expected, callbacks("/leg", legSids.get(number)), "callbacks of leg " + number);
    }
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/dialrec")).count(),
        "one recording callback");
    for (String channel : List.of(ringing, bridged)) {
      assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/dialed")
          && sids.get(channel).equals(r.param("CallSid"))).count(), "one Dial action");
    }
    assertTrue(app.requests().stream().noneMatch(r -> r.path().equals("/gathered")
        && sids.get(gone).equals(r.param("CallSid"))), "the caller who hung up typed nothing");
    assertEquals(0, app.requests().stream().filter(r -> r.path().equals("/gathered")
        && sids.get(gather).equals(r.param("CallSid")) && beforeCrash.contains(r)).count(),
        "no Gather action before the crash");
    assertNotEquals(Optional.empty(), promptBefore, "a prompt played before the crash");

    // Asterisk's count: each channel went once; the hangups asked for are the scripts' own (the
    // test's for the caller who hung up), none of any other channel (the phones' far halves, the
    // callers, the recorder), each after what made its script hang up.
    Map<String, ChannelWatch.Seen> seen = watch.channels();
    Map<String, Integer> expected = new LinkedHashMap<>();
    seen.keySet().forEach(id -> expected.put(id, 0));
    channels.stream().filter(c -> !c.equals(gone)).forEach(c -> expected.put(c, 1));
    expected.put(caller(gone), 1);
    List.of(GROUP.get(0), GROUP.get(2)).forEach(n -> expected.put(legChannels.get(n), 1));
    Map<String, Integer> actual = new LinkedHashMap<>();
    seen.forEach((id, s) -> actual.put(id, s.explicitHangups().size()));
    assertEquals(expected, actual, "hangups asked of each channel on Asterisk: " + seen);
    seen.forEach((id, s) -> assertEquals(1, s.destroyed(), id + " (" + s.name() + ") ended once"));
    for (String channel : channels) {
      if (!channel.equals(gone)) {
        assertTrue(seen.get(channel).explicitHangups().get(0) > lastAction.get(sids.get(channel)),
            channel + " hung up by its script, after its last action");
      }
    }
    for (String loser : List.of(GROUP.get(0), GROUP.get(2))) {
      assertTrue(seen.get(legChannels.get(loser)).explicitHangups().get(0) > answeredAt,
          "leg " + loser + " cancelled by the win, not as an orphan");
    }
  }

  /** An inbound call whose caller talks and presses what the test cues. */
  private static String inbound(RealAsterisk asterisk, String id, String from, String to) {
    return asterisk.inboundCall(id, from, to, "llamenos-caller@sbtest-phones");
  }

  /** The caller half of the inbound call whose Stasis half is {@code in}. */
  private static String caller(String in) {
    return in.replaceFirst("-in$", "-caller");
  }

  /** Tells the {@code [sbtest-commanded]} phone {@code number} what to do. */
  private static void tell(RealAsterisk asterisk, String number, String what) {
    RealAsterisk.Reply r = asterisk.rest("POST", "/asterisk/variable",
        Map.of("variable", "SBPHONE_" + number.replaceAll("[^0-9]", ""), "value", what));
    assertEquals(204, r.status(), "telling " + number + " to " + what + ": " + r.body());
  }

  private static boolean bridgeHolding(RealAsterisk asterisk, String a, String b) {
    return StreamSupport.stream(asterisk.rest("GET", "/bridges", Map.of()).json().spliterator(),
            false)
        .map(bridge -> StreamSupport.stream(bridge.path("channels").spliterator(), false)
            .map(c -> c.asText()).toList())
        .anyMatch(members -> members.containsAll(List.of(a, b)));
  }

  /** The status of {@code callSid} among the node's live calls and legs, or null. */
  private static String liveStatus(SwitchboardNode node, String callSid) {
    try {
      return node.operations().list().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
          .filter(s -> s.callSid().equals(callSid) && s.endTime().isEmpty())
          .map(CallSnapshot::status).findFirst().orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  private List<String> callbacks(String path, String sid) {
    return app.requests().stream()
        .filter(r -> r.path().equals(path) && sid.equals(r.param("CallSid")))
        .map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber")).toList();
  }

  /** The playback of a stored Gather (empty between prompts), or empty if not in a Gather. */
  private static Optional<Optional<String>> gathering(ScriptState s) {
    return s != null && s.awaiting() instanceof ScriptState.Awaiting.Gathering g
        ? Optional.of(g.progress().playbackId()) : Optional.empty();
  }

  private static void awaitTrue(Supplier<Boolean> condition, String description) {
    CrashFixture.awaitTrue(condition, description, WAIT);
  }
}
