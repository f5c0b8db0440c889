package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.T0;
import static org.switchboard.engine.ring.LegHarness.sidOf;
import static org.switchboard.engine.ring.RecordingWebhooks.param;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.Method;

class LegActorTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private final LegHarness h = new LegHarness();
  private final TestProbe<LegReport> reports = h.kit.createTestProbe();

  @AfterEach
  void close() {
    h.close();
  }

  private void start(LegSpec spec) {
    h.entity(sidOf(spec.channelId())).tell(new CallCommand.StartLeg(spec, reports.ref()));
  }

  @Test
  void originatesOnTheSpecsServerWithThePreChosenChannelAndAGraceOnTheTimeout() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    AriPort.OriginateRequest req = h.ari.expect("originate", WAIT).arg(0);
    assertEquals(SERVER, req.serverId());
    assertEquals("legA", req.channelId());
    assertEquals("PJSIP/legA@trunk", req.endpoint());
    assertEquals("+15550001111", req.callerId());
    assertEquals(25, req.timeoutSeconds());
  }

  @Test
  void ringsAnswersAndCompletesWithDurationFromEventTimes() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "RINGING");
    assertEquals(new LegReport.LegRinging(sidOf("legA")), reports.receiveMessage(WAIT));
    h.answer("legA", T0.plusSeconds(6));
    LegReport.LegAnswered answered = reports.expectMessageClass(LegReport.LegAnswered.class, WAIT);
    assertEquals(new ChannelRef(SERVER, "legA"), answered.channel());
    h.destroyed("legA", 16, T0.plusSeconds(6 + 42));
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("completed", ended.status());
    assertEquals(42, ended.durationSeconds());
  }

  @ParameterizedTest(name = "{0} then cause {1} -> {2}")
  @CsvSource({
    "BUSY, 0, busy",
    "CONGESTION, 0, failed",
    "CHANUNAVAIL, 0, failed",
    "NOANSWER, 21, busy",
    "NOANSWER, 19, no-answer",
    "NOANSWER, 0, no-answer",
    "RINGING, 19, no-answer",
    "RINGING, 17, busy",
    "RINGING, 1, failed",
    "RINGING, 34, failed",
    "RINGING, 127, failed",
    "RINGING, 26, canceled",
    "'', 0, failed",
  })
  void unansweredLegsEndWithTheSpecStatus(String dialStatus, int cause, String expected) {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", dialStatus);
    h.destroyed("legA", cause, T0.plusSeconds(3));
    LegReport.LegEnded ended = endedSkippingRinging();
    assertEquals(expected, ended.status());
    assertEquals(0, ended.durationSeconds());
  }

  @Test
  void busyIsReportedAtOnceAndTheChannelHungUp() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "BUSY");
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("busy", ended.status());
    assertEquals(Optional.of(486), ended.sipCode());
    assertEquals(new ChannelRef(SERVER, "legA"), h.ari.expect("hangup", WAIT).arg(0));
  }

  @Test
  void ownRingTimeoutEndsTheLegAsNoAnswer() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "RINGING");
    reports.expectMessageClass(LegReport.LegRinging.class, WAIT);
    h.time.timePasses(Duration.ofSeconds(19));
    reports.expectNoMessage(Duration.ofMillis(100));
    h.time.timePasses(Duration.ofSeconds(1));
    assertEquals("no-answer", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    FakeAriPort.Command hangup = h.ari.expect("hangup", WAIT);
    assertEquals(HangupReason.NO_ANSWER, hangup.arg(1));
  }

  @Test
  void cancelAfterAnswerInTheSameInstantReportsCanceledNeverCompleted() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.answer("legA", T0.plusSeconds(2));
    reports.expectMessageClass(LegReport.LegAnswered.class, WAIT);
    h.entity(sidOf("legA")).tell(new CallCommand.CancelLeg(LegCancelCause.ANSWERED_ELSEWHERE));
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("canceled", ended.status());
    assertEquals(HangupReason.ANSWERED_ELSEWHERE, h.ari.expect("hangup", WAIT).arg(1));
    h.destroyed("legA", 26, T0.plusSeconds(3));
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void cancelWhileRingingHangsUpWithAnsweredElsewhere() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "RINGING");
    h.entity(sidOf("legA")).tell(new CallCommand.CancelLeg(LegCancelCause.ANSWERED_ELSEWHERE));
    assertEquals(HangupReason.ANSWERED_ELSEWHERE, h.ari.expect("hangup", WAIT).arg(1));
    reports.expectMessageClass(LegReport.LegRinging.class, WAIT);
    assertEquals("canceled", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    h.dial("legA", "NOANSWER");
    h.destroyed("legA", 26, T0.plusSeconds(3));
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void failedOriginateReportsFailed() {
    FakeAriPort manual = FakeAriPort.manual();
    var start = new CallCommand.StartLeg(LegHarness.spec("legA", 20, Optional.empty()), reports.ref());
    h.kit.spawn(LegActor.create(sidOf("legA"), start, manual, h.webhooks, h.settings,
        AnsweredLegRunner.SKIP));
    manual.expect("originate", WAIT).fail(new RuntimeException("Allocation failed"));
    assertEquals("failed", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
  }

  @Test
  void aCancelThatBeatsTheOriginateReplyHangsUpAgainOnceTheChannelExists() {
    FakeAriPort manual = FakeAriPort.manual();
    var start = new CallCommand.StartLeg(LegHarness.spec("legA", 20, Optional.empty()), reports.ref());
    var leg = h.kit.spawn(LegActor.create(sidOf("legA"), start, manual, h.webhooks, h.settings,
        AnsweredLegRunner.SKIP));
    FakeAriPort.Command originate = manual.expect("originate", WAIT);
    leg.tell(new CallCommand.CancelLeg(LegCancelCause.PARENT_HUNG_UP));
    assertEquals("canceled", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    manual.expect("hangup", WAIT).fail(new AriCommandException(SERVER, "DELETE /channels/legA", 404, "Channel not found"));
    manual.expectNone(Duration.ofMillis(100));
    originate.succeed();
    manual.expect("hangup", WAIT).succeed();
    manual.expectNone(Duration.ofMillis(100));
  }

  @Test
  void answeredButNeverInStasisIsGivenUpAsFailed() {
    start(LegHarness.spec("legA", 20, Optional.empty()));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "ANSWER");
    h.time.timePasses(h.settings.stasisGrace());
    assertEquals("failed", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    h.ari.expect("hangup", WAIT);
  }

  @Test
  void whisperRunsBeforeClaimingAndARejectingWhisperEndsTheLeg() {
    h.runner = (leg, then) -> then.apply(new AnsweredLegRunner.Rejected());
    LegSpec spec = withWhisper(LegHarness.spec("legA", 20, Optional.empty()));
    start(spec);
    h.ari.expect("originate", WAIT);
    h.answer("legA", T0.plusSeconds(2));
    assertEquals(new LegReport.LegPickedUp(sidOf("legA")),
        reports.expectMessageClass(LegReport.LegPickedUp.class, WAIT), "picked up, whispering");
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("completed", ended.status());
    h.ari.expect("hangup", WAIT);
  }

  @Test
  void anAcceptedWhisperClaimsTheLeg() {
    h.runner = (leg, then) -> then.apply(new AnsweredLegRunner.Finished());
    start(withWhisper(LegHarness.spec("legA", 20, Optional.empty())));
    h.ari.expect("originate", WAIT);
    h.answer("legA", T0.plusSeconds(2));
    assertInstanceOf(LegReport.LegPickedUp.class, reports.receiveMessage(WAIT));
    assertInstanceOf(LegReport.LegAnswered.class, reports.receiveMessage(WAIT));
  }

  @Test
  void statusCallbacksCarryTheChildLegParametersInSequence() {
    var callback =
        new LegSpec.StatusCallback(
            URI.create("https://app.example/status"),
            List.of("initiated", "ringing", "answered", "completed"),
            Method.POST);
    start(LegHarness.spec("legA", 20, Optional.of(callback)));
    h.ari.expect("originate", WAIT);
    h.dial("legA", "RINGING");
    h.answer("legA", T0.plusSeconds(4));
    h.destroyed("legA", 16, T0.plusSeconds(14));
    String[] expected = {"initiated", "ringing", "in-progress", "completed"};
    for (int i = 0; i < expected.length; i++) {
      WebhookPort.WebhookRequest r = h.webhooks.next(WAIT);
      assertEquals(expected[i], param(r, "CallStatus"));
      assertEquals(Integer.toString(i), param(r, "SequenceNumber"));
      assertEquals("outbound-dial", param(r, "Direction"));
      assertEquals("CAparent", param(r, "ParentCallSid"));
      assertEquals(sidOf("legA"), param(r, "CallSid"));
      assertEquals("call-progress-events", param(r, "CallbackSource"));
      assertEquals("Mon, 05 Jan 2026 10:00:00 +0000", param(r, "Timestamp"));
    }
  }

  private LegReport.LegEnded endedSkippingRinging() {
    LegReport first = reports.receiveMessage(WAIT);
    if (first instanceof LegReport.LegRinging) {
      first = reports.receiveMessage(WAIT);
    }
    return assertInstanceOf(LegReport.LegEnded.class, first);
  }

  private static LegSpec withWhisper(LegSpec s) {
    return new LegSpec(
        s.serverId(), s.channelId(), s.endpoint(), s.target(), s.callerId(), s.timeoutSeconds(),
        s.parentCallSid(),
        Optional.of(new LegSpec.TwimlSource(URI.create("https://app.example/whisper"), Method.POST)),
        s.statusCallback(), s.variables());
  }
}
