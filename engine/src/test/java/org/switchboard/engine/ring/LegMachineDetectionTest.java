package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;

/** Answering machine detection on a leg (docs/amd.md): {@link DetectingLeg} inside {@link LegActor}. */
class LegMachineDetectionTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final URI STATUS = URI.create("http://app/status");
  private static final URI AMD_CALLBACK = URI.create("http://app/amd");
  private final LegHarness h = new LegHarness();
  private final TestProbe<LegReport> reports = h.kit.createTestProbe();
  private final LinkedBlockingQueue<AnsweredLegRunner.AnsweredLeg> ran = new LinkedBlockingQueue<>();

  LegMachineDetectionTest() {
    h.runner = (leg, then) -> {
      ran.add(leg);
      return Behaviors.empty();
    };
  }

  @AfterEach
  void close() {
    h.close();
  }

  /** A leg with an answer URL and every status callback; {@code standalone} runs it at once. */
  private LegSpec spec(String channelId, Optional<String> parent, AmdOptions amd) {
    return new LegSpec(SERVER, channelId, "PJSIP/" + channelId + "@trunk", "+1555" + channelId,
        "+15550001111", 30, parent,
        Optional.of(new LegSpec.TwimlSource(URI.create("http://app/answer"), Method.POST)),
        Optional.of(new LegSpec.StatusCallback(STATUS,
            List.of("initiated", "ringing", "answered", "completed"), Method.POST)),
        Map.of(), true, Optional.of(amd), Optional.empty());
  }

  private static AmdOptions amd(MachineDetection.Mode mode, boolean async, boolean reject) {
    MachineDetection d = new MachineDetection(mode, 10, 2400, 1200, 5000,
        async ? Optional.of(AMD_CALLBACK) : Optional.empty(), Method.POST);
    return new AmdOptions(d, async, reject);
  }

  /** Whether the leg started last has a parent (a dial's or a ring group's leg). */
  private boolean ofAGroup;

  private void start(LegSpec spec) {
    ofAGroup = spec.parentCallSid().isPresent();
    h.entity(sidOf(spec.channelId())).tell(new CallCommand.StartLeg(spec, reports.ref()));
    h.ari.expect("originate", WAIT);
  }

  /**
   * Answered: the leg continues into the detection dialplan (asserted), a group's leg telling its
   * group it picked up, then the verdict.
   */
  private void answerAndDetect(String channelId, String... verdictArgs) {
    h.answer(channelId, T0.plusSeconds(2));
    FakeAriPort.Command cont = h.ari.expect("continueInDialplan", WAIT);
    assertEquals(new ChannelRef(SERVER, channelId), cont.arg(0));
    assertEquals("switchboard-amd", cont.arg(1));
    assertEquals("amd-5000-2400-1200-10000-0-0", cont.arg(2));
    assertEquals(1, (int) cont.<Integer>arg(3));
    if (ofAGroup) {
      assertEquals(new LegReport.LegPickedUp(sidOf(channelId)),
          reports.expectMessageClass(LegReport.LegPickedUp.class, WAIT));
    }
    h.deliver(new ChannelEvent.StasisLeft(SERVER, T0.plusSeconds(2), channelId));
    if (verdictArgs.length > 0) {
      verdict(channelId, verdictArgs);
    }
  }

  private void verdict(String channelId, String... args) {
    h.deliver(new ChannelEvent.StasisEntered(SERVER, T0.plusSeconds(4),
        new ChannelEvent.ChannelInfo(channelId, "PJSIP/x", "Up", null, null, "switchboard-amd",
            "amd-5000-2400-1200-10000-0-0", null, "en", T0),
        List.of(args), Optional.empty()));
  }

  private List<String> statusCallbacks() {
    return h.webhooks.notified.stream()
        .filter(r -> r.url().equals(STATUS)).map(r -> param(r, "CallStatus")).toList();
  }

  private AnsweredLegRunner.AnsweredLeg ranTwiml() throws InterruptedException {
    AnsweredLegRunner.AnsweredLeg leg = ran.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (leg == null) {
      throw new AssertionError("the answer URL never ran");
    }
    return leg;
  }

  @Test
  void aRingLegAnsweredByAMachineIsHungUpAndReportedNoAnswerNeverAnsweredOrClaimed() {
    start(spec("vm1", Optional.of("CAparent"), amd(MachineDetection.Mode.ENABLE, false, true)));
    answerAndDetect("vm1", "amd", "MACHINE", "MAXWORDS-4-3");
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("no-answer", ended.status());
    assertEquals(new ChannelRef(SERVER, "vm1"), h.ari.expect("hangup", WAIT).arg(0));
    h.destroyed("vm1", 16, T0.plusSeconds(5));
    reports.expectNoMessage(Duration.ofMillis(200));
    assertEquals(List.of("initiated", "no-answer"), statusCallbacks());
    assertTrue(ran.isEmpty(), "a machine's leg never runs its answer URL");
  }

  @Test
  void aRingLegAnsweredByAHumanIsClaimedAfterTheVerdictWithAnsweredBy() throws Exception {
    start(spec("hu1", Optional.of("CAparent"), amd(MachineDetection.Mode.ENABLE, false, true)));
    answerAndDetect("hu1");
    reports.expectNoMessage(Duration.ofMillis(200));
    assertEquals(List.of("initiated"), statusCallbacks(), "no answered callback before the verdict");
    verdict("hu1", "amd", "HUMAN", "HUMAN-1200-1200");
    assertEquals(new ChannelRef(SERVER, "hu1"),
        reports.expectMessageClass(LegReport.LegAnswered.class, WAIT).channel());
    h.entity(sidOf("hu1")).tell(new CallCommand.LegWon());
    AnsweredLegRunner.AnsweredLeg leg = ranTwiml();
    assertEquals(Optional.of("human"), leg.answeredBy());
    assertEquals(T0.plusSeconds(2), leg.answeredAt());
    assertEquals(List.of("initiated", "in-progress"), statusCallbacks());
  }

  @Test
  void aRestCallRunsItsAnswerUrlWithAnsweredByWhateverAnswered() throws Exception {
    start(spec("rest1", Optional.empty(), amd(MachineDetection.Mode.ENABLE, false, false)));
    answerAndDetect("rest1", "amd", "MACHINE", "LONGGREETING-2400-2400");
    AnsweredLegRunner.AnsweredLeg leg = ranTwiml();
    assertEquals(Optional.of("machine_start"), leg.answeredBy());
    assertEquals(List.of("initiated", "in-progress"), statusCallbacks());
  }

  @Test
  void asyncDetectionPostsTheVerdictToItsCallbackAndNotInTheAnswerWebhook() throws Exception {
    start(spec("as1", Optional.empty(), amd(MachineDetection.Mode.ENABLE, true, false)));
    answerAndDetect("as1", "amd", "HUMAN", "HUMAN-1200-1200");
    AnsweredLegRunner.AnsweredLeg leg = ranTwiml();
    assertEquals(Optional.empty(), leg.answeredBy());
    WebhookPort.WebhookRequest amdCallback = h.webhooks.notified.stream()
        .filter(r -> r.url().equals(AMD_CALLBACK)).findFirst()
        .orElseThrow(() -> new AssertionError("no AMD callback: " + h.webhooks.notified));
    assertEquals("human", param(amdCallback, "AnsweredBy"));
    assertEquals(sidOf("as1"), param(amdCallback, "CallSid"));
    assertEquals("0", param(amdCallback, "MachineDetectionDuration"), "fixed test clock");
  }

  @Test
  void aLegCancelledWhileDetectingReportsCanceledNeverCompleted() {
    start(spec("ca1", Optional.of("CAparent"), amd(MachineDetection.Mode.ENABLE, false, true)));
    answerAndDetect("ca1");
    h.entity(sidOf("ca1")).tell(new CallCommand.CancelLeg(LegCancelCause.ANSWERED_ELSEWHERE));
    assertEquals("canceled", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    h.ari.expect("hangup", WAIT);
  }

  @Test
  void aFarEndHangingUpWhileDetectedIsNotAnAnswerOfARingLeg() {
    start(spec("gone1", Optional.of("CAparent"), amd(MachineDetection.Mode.ENABLE, false, true)));
    answerAndDetect("gone1");
    h.destroyed("gone1", 16, T0.plusSeconds(3));
    assertEquals("no-answer", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
  }

  @Test
  void noVerdictWithinTheTimeoutAndGraceGivesTheLegUp() {
    start(spec("slow1", Optional.of("CAparent"), amd(MachineDetection.Mode.ENABLE, false, true)));
    answerAndDetect("slow1");
    h.time.timePasses(Duration.ofSeconds(10).plus(DetectingLeg.GRACE).minusSeconds(1));
    reports.expectNoMessage(Duration.ofMillis(100));
    h.time.timePasses(Duration.ofSeconds(1));
    assertEquals("failed", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    h.ari.expect("hangup", WAIT);
  }
}
