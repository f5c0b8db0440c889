package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.ring.LegHarness.T0;
import static org.switchboard.engine.ring.LegHarness.sidOf;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.testing.FakeAriPort;

class RingGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private final LegHarness h = new LegHarness();
  private final TestProbe<RingOutcome> outcomes = h.kit.createTestProbe();

  @AfterEach
  void close() {
    h.close();
  }

  private ActorRef<RingGroup.Command> ring(boolean sequential, String... channels) {
    List<LegSpec> specs =
        java.util.Arrays.stream(channels).map(c -> LegHarness.spec(c, 30, Optional.empty())).toList();
    ActorRef<RingGroup.Command> group =
        h.kit.spawn(
            RingGroup.create(
                specs, sequential, Duration.ofSeconds(30), Duration.ofSeconds(10), h::entity,
                outcomes.ref()));
    return group;
  }

  private Set<String> originated(int n) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(h.ari.expect("originate", WAIT).<org.switchboard.engine.port.AriPort.OriginateRequest>arg(0).channelId());
    }
    return ids;
  }

  private Map<String, HangupReason> hangups(int n) {
    Map<String, HangupReason> out = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      FakeAriPort.Command c = h.ari.expect("hangup", WAIT);
      out.put(c.<ChannelRef>arg(0).channelId(), c.arg(1));
    }
    return out;
  }

  @Test
  void threeLegsRingTheSecondAnswersTheOthersAreCanceled() {
    ring(false, "l1", "l2", "l3");
    assertEquals(Set.of("l1", "l2", "l3"), originated(3));
    h.dial("l1", "RINGING");
    h.dial("l2", "RINGING");
    h.dial("l3", "RINGING");
    h.answer("l2", T0.plusSeconds(5));
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, outcomes.receiveMessage(WAIT));
    assertEquals(sidOf("l2"), won.legCallSid());
    assertEquals(1, won.index());
    assertEquals(Map.of(sidOf("l1"), "canceled", sidOf("l3"), "canceled"), won.legStatuses());
    assertEquals(
        Map.of("l1", HangupReason.ANSWERED_ELSEWHERE, "l3", HangupReason.ANSWERED_ELSEWHERE),
        hangups(2));
    h.destroyed("l2", 16, T0.plusSeconds(65));
    RingOutcome.WinnerEnded ended = assertInstanceOf(RingOutcome.WinnerEnded.class, outcomes.receiveMessage(WAIT));
    assertEquals("completed", ended.ended().status());
    assertEquals(60, ended.ended().durationSeconds());
  }

  @Test
  void aBusyLegEndsTheDialBusy() {
    ring(false, "l1");
    originated(1);
    h.dial("l1", "BUSY");
    RingOutcome.Unanswered out = assertInstanceOf(RingOutcome.Unanswered.class, outcomes.receiveMessage(WAIT));
    assertEquals("busy", out.status());
    assertEquals(sidOf("l1"), out.lastLeg());
  }

  @Test
  void aLegThatNeverAnswersTimesOutAsNoAnswer() {
    ring(false, "l1", "l2");
    originated(2);
    h.dial("l1", "RINGING");
    h.dial("l2", "BUSY");
    h.time.timePasses(Duration.ofSeconds(29));
    outcomes.expectNoMessage(Duration.ofMillis(100));
    h.time.timePasses(Duration.ofSeconds(1));
    RingOutcome.Unanswered out = assertInstanceOf(RingOutcome.Unanswered.class, outcomes.receiveMessage(WAIT));
    assertEquals("no-answer", out.status());
    assertEquals("no-answer", out.legStatuses().get(sidOf("l1")));
    assertEquals("busy", out.legStatuses().get(sidOf("l2")));
  }

  /**
   * A callee picked up just before the timeout and is still being detected (or whispered to):
   * the timeout gives up only the leg still ringing, and the picked-up leg wins when claimed.
   */
  @Test
  void theTimeoutSparesALegThatPickedUpAndIsBeingDetected() {
    org.switchboard.engine.twiml.verb.MachineDetection amd =
        org.switchboard.engine.twiml.verb.MachineDetection.of(
            org.switchboard.engine.twiml.verb.MachineDetection.Mode.ENABLE);
    List<LegSpec> specs = List.of(
        LegHarness.spec("d1", 30, Optional.empty()).withMachineDetection(
            Optional.of(new org.switchboard.engine.protocol.AmdOptions(amd, false, false))),
        LegHarness.spec("d2", 30, Optional.empty()));
    h.kit.spawn(RingGroup.create(specs, false, Duration.ofSeconds(30), Duration.ofSeconds(10),
        h::entity, outcomes.ref()));
    originated(2);
    h.dial("d2", "RINGING");
    h.time.timePasses(Duration.ofSeconds(28));
    h.answer("d1", T0.plusSeconds(28));
    h.ari.expect("continueInDialplan", WAIT);
    h.time.timePasses(Duration.ofSeconds(2));
    assertEquals(Map.of("d2", HangupReason.NO_ANSWER), hangups(1), "only the ringing leg");
    outcomes.expectNoMessage(Duration.ofMillis(200));
    h.deliver(new org.switchboard.engine.port.ChannelEvent.StasisEntered(LegHarness.SERVER,
        T0.plusSeconds(31), new org.switchboard.engine.port.ChannelEvent.ChannelInfo("d1",
            "PJSIP/x", "Up", null, null, "switchboard-amd", "amd", null, "en", T0),
        List.of("amd", "HUMAN", "HUMAN-1200-1200"), Optional.empty()));
    RingOutcome.Answered won =
        assertInstanceOf(RingOutcome.Answered.class, outcomes.receiveMessage(WAIT));
    assertEquals(sidOf("d1"), won.legCallSid());
    assertEquals(Map.of(sidOf("d2"), "no-answer"), won.legStatuses());
  }

  @Test
  void twoAnswersInTheSameMillisecondHaveExactlyOneWinner() {
    ring(false, "l1", "l2");
    originated(2);
    h.answer("l1", T0.plusSeconds(3));
    h.answer("l2", T0.plusSeconds(3));
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, outcomes.receiveMessage(WAIT));
    String loser = won.legCallSid().equals(sidOf("l1")) ? "l2" : "l1";
    Map<String, HangupReason> hung = hangups(1);
    assertEquals(Map.of(loser, HangupReason.ANSWERED_ELSEWHERE), hung);
    outcomes.expectNoMessage(Duration.ofMillis(200));
    h.ari.expectNone(Duration.ofMillis(100));
  }

  @Test
  void callerHangupCancelsEveryRingingLegAndHangsUpTheirChannels() {
    ActorRef<RingGroup.Command> group = ring(false, "l1", "l2", "l3");
    originated(3);
    h.dial("l1", "RINGING");
    group.tell(new RingGroup.CancelAll(LegCancelCause.PARENT_HUNG_UP));
    RingOutcome.Unanswered out = assertInstanceOf(RingOutcome.Unanswered.class, outcomes.receiveMessage(WAIT));
    assertEquals("canceled", out.status());
    assertEquals(3, out.legStatuses().size());
    assertTrue(out.legStatuses().values().stream().allMatch("canceled"::equals));
    assertEquals(Set.of("l1", "l2", "l3"), hangups(3).keySet());
  }

  @Test
  void sequentialRingsOneLegAfterAnother() {
    ring(true, "l1", "l2");
    assertEquals(Set.of("l1"), originated(1));
    assertEquals(new RingOutcome.NextLegStarted(0, List.of()), outcomes.receiveMessage(WAIT));
    h.ari.expectNone(Duration.ofMillis(100));
    h.time.timePasses(Duration.ofSeconds(30));
    h.ari.expect("hangup", WAIT);
    assertEquals(Set.of("l2"), originated(1));
    assertEquals(new RingOutcome.NextLegStarted(1, List.of("no-answer")),
        outcomes.receiveMessage(WAIT));
    h.answer("l2", T0.plusSeconds(33));
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, outcomes.receiveMessage(WAIT));
    assertEquals(sidOf("l2"), won.legCallSid());
    assertEquals(Map.of(sidOf("l1"), "no-answer"), won.legStatuses());
  }

  @Test
  void aSequenceTakenBackRingsOnFromItsCurrentLegAndStartsTheNextOnes() {
    TestProbe<CallCommand> legs = h.kit.createTestProbe();
    List<LegSpec> specs = java.util.stream.Stream.of("l1", "l2", "l3")
        .map(c -> LegHarness.spec(c, 30, Optional.empty())).toList();
    h.kit.spawn(RingGroup.resumeSequence(specs, 1, List.of("busy"), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(10), sid -> legs.ref(), outcomes.ref()));

    CallCommand.ResumeLeg resumed = legs.expectMessageClass(CallCommand.ResumeLeg.class, WAIT);
    assertEquals(specs.get(1), resumed.spec(), "the leg that rang is taken back, not originated");
    h.time.timePasses(Duration.ofSeconds(10));
    assertEquals(new CallCommand.CancelLeg(LegCancelCause.TIMEOUT),
        legs.expectMessageClass(CallCommand.CancelLeg.class, WAIT), "what was left of its time");
    resumed.reportTo().tell(new LegReport.LegEnded(sidOf("l2"), "no-answer", 0, Optional.empty()));
    CallCommand.StartLeg next = legs.expectMessageClass(CallCommand.StartLeg.class, WAIT);
    assertEquals(specs.get(2), next.spec());
    assertEquals(new RingOutcome.NextLegStarted(2, List.of("busy", "no-answer")),
        outcomes.receiveMessage(WAIT));
    next.reportTo().tell(new LegReport.LegEnded(sidOf("l3"), "busy", 0, Optional.empty()));
    RingOutcome.Unanswered out =
        assertInstanceOf(RingOutcome.Unanswered.class, outcomes.receiveMessage(WAIT));
    assertEquals(Map.of(sidOf("l1"), "busy", sidOf("l2"), "no-answer", sidOf("l3"), "busy"),
        out.legStatuses());
    assertEquals(sidOf("l3"), out.lastLeg());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "busy, busy",
    "busy|busy, busy",
    "failed|failed, failed",
    "busy|failed, busy",
    "busy|no-answer, no-answer",
    "canceled|canceled, canceled",
    "completed, no-answer",
  })
  void aggregateStatusOfUnansweredLegs(String legs, String expected) {
    assertEquals(expected, RingGroup.aggregate(List.of(legs.split("\\|"))));
  }

  private ActorRef<RingGroup.Command> resumeGroup(TestProbe<RingOutcome> to, String... channels) {
    List<LegSpec> specs =
        java.util.Arrays.stream(channels).map(c -> LegHarness.spec(c, 30, Optional.empty())).toList();
    return h.kit.spawn(RingGroup.resume(specs, Optional.empty(), Duration.ofSeconds(30),
        Duration.ofSeconds(10), h::entity, to.ref()));
  }

  @Test
  void legsThatRangOnWhileTheirDialMovedReportToItsNewGroupAndTheFirstAnswerWins() {
    ActorRef<RingGroup.Command> old = ring(false, "l1", "l2", "l3");
    originated(3);
    h.dial("l1", "RINGING");
    h.dial("l2", "RINGING");
    h.dial("l3", "RINGING");
    h.kit.stop(old);
    TestProbe<RingOutcome> moved = h.kit.createTestProbe();
    resumeGroup(moved, "l1", "l2", "l3");
    h.answer("l2", T0.plusSeconds(5));
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, moved.receiveMessage(WAIT));
    assertEquals(sidOf("l2"), won.legCallSid());
    assertEquals(
        Map.of("l1", HangupReason.ANSWERED_ELSEWHERE, "l3", HangupReason.ANSWERED_ELSEWHERE),
        hangups(2));
    outcomes.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aLegAnsweredWhileItsDialWasAwayIsClaimedByItsNewGroup() {
    ActorRef<RingGroup.Command> old = ring(false, "l1", "l2");
    originated(2);
    h.kit.stop(old);
    h.answer("l1", T0.plusSeconds(5));
    TestProbe<RingOutcome> moved = h.kit.createTestProbe();
    resumeGroup(moved, "l1", "l2");
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, moved.receiveMessage(WAIT));
    assertEquals(sidOf("l1"), won.legCallSid());
    assertEquals(Map.of("l2", HangupReason.ANSWERED_ELSEWHERE), hangups(1));
  }

  @Test
  void aLegThatEndedWhileItsDialWasAwayTellsItsNewGroupItsFinalStatus() {
    ActorRef<RingGroup.Command> old = ring(false, "l1");
    originated(1);
    h.kit.stop(old);
    h.dial("l1", "BUSY");
    TestProbe<RingOutcome> moved = h.kit.createTestProbe();
    resumeGroup(moved, "l1");
    RingOutcome.Unanswered out = assertInstanceOf(RingOutcome.Unanswered.class, moved.receiveMessage(WAIT));
    assertEquals("busy", out.status());
  }

  @Test
  void takeBackTellsEveryRingingLegAgainAndOnlyALegWhoseEntityWasGoneStartsOver() {
    ActorRef<RingGroup.Command> group = ring(false, "l1", "l2");
    originated(2);
    h.dial("l1", "RINGING");
    h.dial("l2", "RINGING");
    h.entityGone("l2");
    group.tell(new RingGroup.TakeBack());
    org.switchboard.engine.protocol.CallCommand.ResumeLeg resume = h.resumed.receiveMessage(WAIT);
    assertEquals("l2", resume.spec().channelId());
    assertEquals(false, resume.won());
    h.resumed.expectNoMessage(Duration.ofMillis(100));
    outcomes.expectNoMessage(Duration.ofMillis(100));
    // The leg taken back reports to the group that took it back: its answer wins.
    resume.reportTo().tell(new org.switchboard.engine.protocol.LegReport.LegAnswered(sidOf("l2"),
        new ChannelRef(LegHarness.SERVER, "l2")));
    RingOutcome.Answered won = assertInstanceOf(RingOutcome.Answered.class, outcomes.receiveMessage(WAIT));
    assertEquals(sidOf("l2"), won.legCallSid());
    assertEquals(Map.of("l1", HangupReason.ANSWERED_ELSEWHERE), hangups(1));
  }
}
