package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.T0;
import static org.switchboard.engine.ring.LegHarness.sidOf;
import static org.switchboard.engine.ring.RecordingWebhooks.param;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.queue.QueueSettings;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Queue;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.Trim;

class DialSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final ChannelRef PARENT = new ChannelRef(SERVER, "parent");
  private static final String BRIDGE = "CAparent-br-0";

  private final LegHarness h = new LegHarness();
  private final TestProbe<DialEnded> ended = h.kit.createTestProbe();
  private final ActorRef<QueueActor.Command> queue =
      h.kit.spawn(QueueActor.create("support", new QueueSettings(1000, 100, h.settings.clock())));
  private final DialContext ctx =
      new DialContext(
          h.ari,
          h.webhooks,
          new DialPlan("PJSIP/{number}@trunk", "trunk", "PJSIP/{identity}", Map.of()),
          h.settings,
          h::entity,
          name -> queue,
          sid -> URI.create("https://sb.example/recordings/" + sid));

  @AfterEach
  void close() {
    h.close();
  }

  private static Dial dial(List<Dial.Noun> nouns, Dial.Record record, boolean answerOnBridge, boolean hangupOnStar) {
    var recordingCallback =
        new RecordingStatusCallback(
            Optional.of(URI.create("https://app.example/rec")), Method.POST,
            Set.of(RecordingEvent.COMPLETED));
    return new Dial(
        Optional.empty(), Method.POST, 30, hangupOnStar, 14_400, Optional.empty(), record,
        Dial.RecordingTrack.BOTH, Trim.DO_NOT_TRIM, recordingCallback, answerOnBridge,
        Optional.empty(), false, Optional.empty(), Method.POST, nouns);
  }

  private ActorRef<DialSession.Command> start(Dial dial, boolean answered) {
    ParentCall parent = new ParentCall("CAparent", PARENT, "+15550001111", "+15559998888", answered, 0);
    return h.kit.spawn(DialSession.create(parent, dial, ctx, ended.ref()));
  }

  private String originatedChannel() {
    return h.ari.expect("originate", WAIT).<AriPort.OriginateRequest>arg(0).channelId();
  }

  private void join(String callSid, ChannelRef channel, ActorRef<QueueNotice> notices) {
    TestProbe<QueueActor.JoinReply> joined = h.kit.createTestProbe();
    queue.tell(new QueueActor.Join(callSid, channel, notices, OptionalInt.empty(), joined.ref()));
    joined.expectMessageClass(QueueActor.Joined.class, WAIT);
  }

  private void parentEvent(ActorRef<DialSession.Command> session, ChannelEvent event) {
    session.tell(new DialSession.ParentEvent(event));
  }

  @Test
  void recordFromAnswerBridgesRecordsAndReportsTheRecording() {
    var session = start(dial(List.of(Number.of("+15551230001")), Dial.Record.RECORD_FROM_ANSWER, false, false), true);
    assertEquals(PARENT, h.ari.expect("ring", WAIT).arg(0));
    String leg = originatedChannel();
    h.answer(leg, T0.plusSeconds(5));
    assertEquals(PARENT, h.ari.expect("stopRinging", WAIT).arg(0));
    FakeAriPort.Command create = h.ari.expect("createBridge", WAIT);
    assertEquals(List.of(SERVER, BRIDGE, "mixing", BRIDGE), create.args());
    FakeAriPort.Command add = h.ari.expect("addToBridge", WAIT);
    assertEquals(List.of(SERVER, BRIDGE, List.of("parent", leg)), add.args());
    AriPort.RecordRequest rec = h.ari.expect("recordBridge", WAIT).arg(2);
    assertTrue(rec.name().matches("RE[0-9a-f]{32}"));
    parentEvent(session, new ChannelEvent.RecordingStarted(SERVER, T0, rec.name(), Optional.empty(), Optional.of(BRIDGE)));
    h.destroyed(leg, 16, T0.plusSeconds(65));
    // The recording is stopped and its end awaited before the bridge goes (issue 23 item 5).
    assertEquals(List.of(SERVER, rec.name()), h.ari.expect("stopRecording", WAIT).args());
    ended.expectNoMessage(Duration.ofMillis(100));
    parentEvent(session, new ChannelEvent.RecordingFinished(SERVER, T0, rec.name(), Optional.empty(), Optional.of(BRIDGE), 59));
    h.ari.expect("destroyBridge", WAIT);
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("completed", end.status());
    assertEquals(Optional.of(sidOf(leg)), end.dialCallSid());
    assertEquals(OptionalInt.of(60), end.dialCallDuration());
    assertTrue(end.bridged());
    assertFalse(end.parentHungUp());
    DialEnded.Recording recording = end.recording().orElseThrow();
    assertEquals(rec.name(), recording.sid());
    assertEquals(URI.create("https://sb.example/recordings/" + rec.name()), recording.url());
    assertEquals(OptionalInt.of(59), recording.durationSeconds());
    List<Map.Entry<String, String>> params = end.actionParams();
    assertTrue(params.contains(Map.entry("DialCallStatus", "completed")));
    assertTrue(params.contains(Map.entry("RecordingSid", rec.name())));
    var callback = h.webhooks.next(WAIT);
    while (!"dial-recording-completed".equals(callback.purpose())) {
      callback = h.webhooks.next(WAIT);
    }
    assertEquals("DialVerb", param(callback, "RecordingSource"));
    assertEquals("CAparent", param(callback, "CallSid"));
    assertEquals("59", param(callback, "RecordingDuration"));
  }

  @Test
  void recordFromAnswerDualRecordsTwoSnoopsOfTheCallerAndReportsTwoChannels() {
    var session = start(dial(List.of(Number.of("+15551230001")),
        Dial.Record.RECORD_FROM_ANSWER_DUAL, false, false), true);
    String leg = originatedChannel();
    h.answer(leg, T0.plusSeconds(5));
    h.ari.expect("addToBridge", WAIT);
    FakeAriPort.Command in = h.ari.expect("snoop", WAIT);
    FakeAriPort.Command out = h.ari.expect("snoop", WAIT);
    assertEquals(List.of(PARENT, "in", PARENT, "out"),
        List.of(in.arg(0), in.arg(2), out.arg(0), out.arg(2)), "the caller's voice, then its ear");
    FakeAriPort.Command first = h.ari.expect("record", WAIT);
    FakeAriPort.Command second = h.ari.expect("record", WAIT);
    assertEquals(List.of(in.<String>arg(1), out.<String>arg(1)),
        List.of(first.<ChannelRef>arg(0).channelId(), second.<ChannelRef>arg(0).channelId()));
    String left = first.<AriPort.RecordRequest>arg(1).name();
    String right = second.<AriPort.RecordRequest>arg(1).name();
    String sid = left.substring(0, left.length() - 2);
    assertEquals(List.of(sid + "-1", sid + "-2"), List.of(left, right));
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("recordBridge")),
        "the mixed bridge is not recorded: " + h.ari.history());
    parentEvent(session, new ChannelEvent.RecordingStarted(SERVER, T0, left,
        Optional.of(in.<String>arg(1)), Optional.empty()));
    parentEvent(session, new ChannelEvent.RecordingStarted(SERVER, T0, right,
        Optional.of(out.<String>arg(1)), Optional.empty()));
    h.destroyed(leg, 16, T0.plusSeconds(65));
    assertEquals(List.of(SERVER, left), h.ari.expect("stopRecording", WAIT).args());
    assertEquals(List.of(SERVER, right), h.ari.expect("stopRecording", WAIT).args());
    parentEvent(session, new ChannelEvent.RecordingFinished(SERVER, T0, left,
        Optional.of(in.<String>arg(1)), Optional.empty(), 59));
    ended.expectNoMessage(Duration.ofMillis(100));
    parentEvent(session, new ChannelEvent.RecordingFinished(SERVER, T0, right,
        Optional.of(out.<String>arg(1)), Optional.empty(), 60));
    DialEnded.Recording recording = ended.receiveMessage(WAIT).recording().orElseThrow();
    assertEquals(sid, recording.sid());
    assertEquals(2, recording.channels());
    assertEquals(OptionalInt.of(60), recording.durationSeconds());
    var callback = h.webhooks.next(WAIT);
    while (!"dial-recording-completed".equals(callback.purpose())) {
      callback = h.webhooks.next(WAIT);
    }
    assertEquals("2", param(callback, "RecordingChannels"));
    assertTrue(h.ari.history().stream().filter(c -> c.startsWith("hangup")).count() >= 2,
        "both snoops hung up: " + h.ari.history());
  }

  @Test
  void sipCredentialsAsteriskRefusesFailTheDialBeforeAnythingRings() {
    Sip sip = new Sip("sip:bob@pbx.example", Optional.of("alice"), Optional.of("s3cret"),
        Optional.empty(), Method.POST, org.switchboard.engine.twiml.verb.StatusCallback.NONE,
        Optional.empty());
    start(dial(List.of(sip), Dial.Record.DO_NOT_RECORD, false, false), true);
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("failed", end.status());
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("originate")),
        "nothing dialled without its credentials: " + h.ari.history());
  }

  @Test
  void aSessionStoppedWhileItsRecordingsEndIsAwaitedStillSendsTheRecordingCallback() {
    // The parent's teardown grace (5 s) can run out before recording-grace (5 s) and the stored
    // file's lookup: the session is stopped from outside with the recording unreported.
    var session = start(dial(List.of(Number.of("+15551230001")), Dial.Record.RECORD_FROM_ANSWER, false, false), true);
    String leg = originatedChannel();
    h.answer(leg, T0.plusSeconds(5));
    AriPort.RecordRequest rec = h.ari.expect("recordBridge", WAIT).arg(2);
    parentEvent(session, new ChannelEvent.RecordingStarted(SERVER, T0, rec.name(), Optional.empty(), Optional.of(BRIDGE)));
    h.destroyed(leg, 16, T0.plusSeconds(65));
    h.ari.expect("stopRecording", WAIT);
    h.ari.answerQuery("storedRecording", Optional.of(new AriPort.StoredRecording(rec.name(), "wav", 59)));
    h.kit.stop(session);
    assertEquals(rec.name(), h.ari.expect("storedRecording", WAIT).arg(1));
    var callback = h.webhooks.next(WAIT);
    while (!"dial-recording-completed".equals(callback.purpose())) {
      callback = h.webhooks.next(WAIT);
    }
    assertEquals(rec.name(), param(callback, "RecordingSid"));
    assertEquals("59", param(callback, "RecordingDuration"));
    assertTrue(h.ari.history().stream().anyMatch(c -> c.startsWith("destroyBridge")),
        "the bridge goes: " + h.ari.history());
  }

  @Test
  void aBridgedSessionStoppedBecauseItsNodeHandsItsCallsOverLeavesBridgeAndRecordingUp() {
    var session = start(dial(List.of(Number.of("+15551230001")), Dial.Record.RECORD_FROM_ANSWER, false, false), true);
    String leg = originatedChannel();
    h.answer(leg, T0.plusSeconds(5));
    AriPort.RecordRequest rec = h.ari.expect("recordBridge", WAIT).arg(2);
    parentEvent(session, new ChannelEvent.RecordingStarted(SERVER, T0, rec.name(), Optional.empty(), Optional.of(BRIDGE)));
    org.switchboard.engine.protocol.NodeHandOver.get(h.kit.system()).start();
    h.kit.stop(session);
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("destroyBridge")
            || c.startsWith("stopRecording") || c.startsWith("storedRecording")
            || c.startsWith("hangup")),
        "the dial moves with its call; Asterisk is left as it is: " + h.ari.history());
    ended.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aResyncOfTheParentsServerTakesBackALegWhoseEntityStoppedWithItsNode() {
    var session = start(dial(List.of(Number.of("+15551230001")), Dial.Record.DO_NOT_RECORD, false, false), true);
    String leg = originatedChannel();
    h.dial(leg, "RINGING");
    h.entityGone(leg);
    session.tell(new DialSession.ServerResynced("another-server"));
    session.tell(new DialSession.ServerResynced(SERVER));
    assertEquals(leg, h.resumed.receiveMessage(WAIT).spec().channelId());
    h.resumed.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aSipUriReachesTheOriginateEndpointIntact() {
    start(dial(List.of(Sip.of("sip:proj@sip.example.com;transport=tls;x_id=abc")), Dial.Record.DO_NOT_RECORD, false, false), true);
    AriPort.OriginateRequest req = h.ari.expect("originate", WAIT).arg(0);
    assertEquals("PJSIP/trunk/sip:proj@sip.example.com;transport=tls;x_id=abc", req.endpoint());
    assertEquals(SERVER, req.serverId());
    assertTrue(req.channelId().startsWith("sb-"));
  }

  @Test
  void answerOnBridgeAnswersTheParentOnlyAfterTheCalleeAnswers() {
    start(dial(List.of(Number.of("+15551230001")), Dial.Record.DO_NOT_RECORD, true, false), false);
    assertEquals(PARENT, h.ari.expect("ring", WAIT).arg(0));
    String leg = originatedChannel();
    h.dial(leg, "RINGING");
    h.ari.expectNone(Duration.ofMillis(150));
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("answer")));
    h.answer(leg, T0.plusSeconds(3));
    assertEquals(PARENT, h.ari.expect("answer", WAIT).arg(0));
    h.ari.expect("createBridge", WAIT);
    h.ari.expect("addToBridge", WAIT);
  }

  @Test
  void withoutAnswerOnBridgeAnUnansweredParentIsAnsweredBeforeRingback() {
    start(dial(List.of(Number.of("+15551230001")), Dial.Record.DO_NOT_RECORD, false, false), false);
    assertEquals(PARENT, h.ari.expect("answer", WAIT).arg(0));
    assertEquals(PARENT, h.ari.expect("ring", WAIT).arg(0));
  }

  @Test
  void callerHangupWhileLegsRingCancelsThemAndHangsUpTheirChannels() {
    var session = start(dial(List.of(Number.of("+15551230001"), Number.of("+15551230002")), Dial.Record.DO_NOT_RECORD, false, false), true);
    String a = originatedChannel();
    String b = originatedChannel();
    h.dial(a, "RINGING");
    parentEvent(session, new ChannelEvent.StasisLeft(SERVER, T0, "parent"));
    FakeAriPort.Command first = h.ari.expect("hangup", WAIT);
    FakeAriPort.Command second = h.ari.expect("hangup", WAIT);
    assertEquals(Set.of(a, b), Set.of(first.<ChannelRef>arg(0).channelId(), second.<ChannelRef>arg(0).channelId()));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("canceled", end.status());
    assertTrue(end.parentHungUp());
    assertFalse(end.bridged());
  }

  @Test
  void twoLegsAnsweringInTheSameMillisecondBridgeExactlyOne() {
    start(dial(List.of(Number.of("+15551230001"), Number.of("+15551230002")), Dial.Record.DO_NOT_RECORD, false, false), true);
    String a = originatedChannel();
    String b = originatedChannel();
    h.answer(a, T0.plusSeconds(4));
    h.answer(b, T0.plusSeconds(4));
    FakeAriPort.Command add = null;
    FakeAriPort.Command hangup = null;
    while (add == null || hangup == null) {
      FakeAriPort.Command c =
          h.ari.expect(x -> x.op().equals("addToBridge") || x.op().equals("hangup"), "bridge or hangup", WAIT);
      if (c.op().equals("addToBridge")) {
        assertEquals(null, add, "a second addToBridge");
        add = c;
      } else {
        assertEquals(null, hangup, "a second hangup");
        hangup = c;
      }
    }
    List<String> bridged = add.arg(2);
    String winner = bridged.get(1);
    String loser = winner.equals(a) ? b : a;
    assertEquals(loser, hangup.<ChannelRef>arg(0).channelId());
    assertEquals(HangupReason.ANSWERED_ELSEWHERE, hangup.arg(1));
    h.ari.expectNone(Duration.ofMillis(200));
  }

  @Test
  void hangupOnStarHangsUpTheCalleeAndTheParentGoesOn() {
    var session = start(dial(List.of(Number.of("+15551230001")), Dial.Record.DO_NOT_RECORD, false, true), true);
    String leg = originatedChannel();
    h.answer(leg, T0.plusSeconds(2));
    FakeAriPort.Command create = h.ari.expect("createBridge", WAIT);
    assertEquals("mixing,dtmf_events", create.arg(2));
    h.ari.expect("addToBridge", WAIT);
    parentEvent(session, new ChannelEvent.EnteredBridge(SERVER, T0, "parent", create.arg(1)));
    parentEvent(session, new ChannelEvent.DtmfReceived(SERVER, T0, "parent", "*", 100));
    FakeAriPort.Command hangup = h.ari.expect("hangup", WAIT);
    assertEquals(leg, hangup.<ChannelRef>arg(0).channelId());
    h.destroyed(leg, 16, T0.plusSeconds(12));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("completed", end.status());
    assertEquals(OptionalInt.of(10), end.dialCallDuration());
    assertFalse(end.parentHungUp());
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("hangup[" + PARENT)));
  }

  @Test
  void aBusyCalleeEndsTheDialBusyWithoutABridge() {
    start(dial(List.of(Number.of("+15551230001")), Dial.Record.DO_NOT_RECORD, false, false), true);
    String leg = originatedChannel();
    h.dial(leg, "BUSY");
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("busy", end.status());
    assertEquals(Optional.of(sidOf(leg)), end.dialCallSid());
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("createBridge")));
  }

  @Test
  void dialQueueDequeuesTheFrontMemberBridgesAndReportsBothSides() {
    TestProbe<QueueNotice> member = h.kit.createTestProbe();
    ChannelRef memberChannel = new ChannelRef(SERVER, "caller");
    join("CAcaller", memberChannel, member.ref());
    var session = start(dial(List.of(new Queue("support", Optional.empty(), Method.POST)), Dial.Record.DO_NOT_RECORD, false, false), true);
    QueueNotice.Dequeued dequeued = assertInstanceOf(QueueNotice.Dequeued.class, member.receiveMessage(WAIT));
    assertEquals("CAparent", dequeued.dequeuerCallSid());
    assertEquals(QueueActor.queueSid("support"), dequeued.queueSid());
    dequeued.session().tell(new QueueNotice.MemberReady("CAcaller", memberChannel));
    assertEquals(List.of(SERVER, BRIDGE, List.of("parent", "caller")), h.ari.expect("addToBridge", WAIT).args());
    parentEvent(session, new ChannelEvent.StasisLeft(SERVER, T0, "parent"));
    h.ari.expect("destroyBridge", WAIT);
    QueueNotice.BridgeEnded bridgeEnded = assertInstanceOf(QueueNotice.BridgeEnded.class, member.receiveMessage(WAIT));
    assertEquals("bridged", bridgeEnded.queueResult());
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("completed", end.status());
    assertEquals(Optional.of("CAcaller"), end.dialCallSid());
    assertTrue(end.parentHungUp());
    DialEnded.QueueDequeue q = end.queue().orElseThrow();
    assertEquals(Optional.of("CAcaller"), q.dequeuedCallSid());
    assertTrue(end.actionParams().contains(Map.entry("QueueSid", QueueActor.queueSid("support"))));
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("hangup")));
  }

  @Test
  void dialQueueWhoseBridgeFailsPutsTheMemberBackAtTheFrontAndDestroysTheBridge() {
    TestProbe<QueueNotice> member = h.kit.createTestProbe();
    ChannelRef memberChannel = new ChannelRef(SERVER, "caller");
    join("CAcaller", memberChannel, member.ref());
    join("CAsecond", new ChannelRef(SERVER, "second"), h.kit.<QueueNotice>createTestProbe().ref());
    h.ari.failAll("addToBridge", new AriCommandException(SERVER, "POST /bridges/" + BRIDGE + "/addChannel", 400,
        "Channel not found"));
    start(dial(List.of(new Queue("support", Optional.empty(), Method.POST)), Dial.Record.RECORD_FROM_ANSWER, false, false), true);
    QueueNotice.Dequeued dequeued = assertInstanceOf(QueueNotice.Dequeued.class, member.receiveMessage(WAIT));
    dequeued.session().tell(new QueueNotice.MemberReady("CAcaller", memberChannel));

    h.ari.expect("addToBridge", WAIT);
    assertEquals(List.of(SERVER, BRIDGE, "caller"), h.ari.expect("removeFromBridge", WAIT).args());
    assertEquals(List.of(SERVER, BRIDGE), h.ari.expect("destroyBridge", WAIT).args());
    assertInstanceOf(QueueNotice.DequeueAborted.class, member.receiveMessage(WAIT));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("failed", end.status());
    assertFalse(end.bridged());
    assertEquals("system-error", end.queue().orElseThrow().dequeueResult());
    TestProbe<QueueActor.PositionReply> position = h.kit.createTestProbe();
    queue.tell(new QueueActor.GetPosition("CAcaller", position.ref()));
    QueueActor.Position p = assertInstanceOf(QueueActor.Position.class, position.receiveMessage(WAIT));
    assertEquals(1, p.position());
    assertEquals(2, p.size());
    member.expectNoMessage(Duration.ofMillis(100));
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("hangup") || c.startsWith("recordBridge")));
  }

  @Test
  void dialQueueOnAnEmptyQueueWaitsThenTimesOut() {
    start(dial(List.of(new Queue("support", Optional.empty(), Method.POST)), Dial.Record.DO_NOT_RECORD, false, false), true);
    h.ari.expect("ring", WAIT);
    h.time.timePasses(Duration.ofSeconds(29));
    ended.expectNoMessage(Duration.ofMillis(100));
    h.time.timePasses(Duration.ofSeconds(1));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("no-answer", end.status());
    assertEquals("queue-empty", end.queue().orElseThrow().dequeueResult());
  }
}
