package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.sidOf;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * An ARI command that got no answer may still be carried out by Asterisk: a leg whose originate
 * timed out hangs its own channel up (it may exist by now) until Asterisk confirms, and a leg's
 * hangup is sent again, with a bounded backoff, however often it fails.
 */
class UncertainOriginateTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final String LEG = "sb-uncertain";
  private final LegHarness h = new LegHarness();
  private final TestProbe<LegReport> reports = h.kit.createTestProbe();
  private final TestProbe<Object> watcher = h.kit.createTestProbe();
  private final FakeAriPort manual = FakeAriPort.manual();

  @AfterEach
  void close() {
    h.close();
  }

  private ActorRef<CallCommand> leg() {
    ActorRef<CallCommand> leg = h.kit.spawn(LegActor.create(sidOf(LEG),
        new CallCommand.StartLeg(LegHarness.spec(LEG, 20, Optional.empty()), reports.ref()),
        manual, h.webhooks, h.settings, AnsweredLegRunner.SKIP));
    return leg;
  }

  /**
   * Waits until {@code leg} has handled the answer of the ARI command the test just settled, so
   * the retry or linger timer that answer sets is running before time passes (advanced before,
   * the timer would be set after the jump and never fire: the test then timed out now and then).
   * The answer reaches the leg as the future completes, or, when the test settled the command
   * before the leg subscribed to it, as the leg subscribes, still inside the message that sent the
   * command: so a snapshot asked once the leg answered a first one comes after it either way.
   */
  private void settled(ActorRef<CallCommand> leg) {
    TestProbe<CallSnapshot> snapshot = h.kit.createTestProbe();
    for (int round = 0; round < 2; round++) {
      leg.tell(new CallCommand.GetSnapshot(snapshot.ref()));
      snapshot.expectMessageClass(CallSnapshot.class, WAIT);
    }
  }

  private static AriCommandException noAnswer(String operation) {
    return new AriCommandException(SERVER, operation,
        new java.util.concurrent.TimeoutException("no answer within 10000 ms"));
  }

  @Test
  void anOriginateWithNoAnswerHangsItsChannelUpUntilAsteriskConfirms() {
    ActorRef<CallCommand> leg = leg();
    manual.expect("originate", WAIT).fail(noAnswer("POST /channels/" + LEG));
    assertEquals("failed", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());

    FakeAriPort.Command hangup = manual.expect("hangup", WAIT);
    assertEquals(new ChannelRef(SERVER, LEG), hangup.arg(0));
    hangup.fail(noAnswer("DELETE /channels/" + LEG));
    settled(leg);
    h.time.timePasses(Duration.ofSeconds(1));
    manual.expect("hangup", WAIT).fail(
        new AriCommandException(SERVER, "DELETE /channels/" + LEG, 404, "Channel not found"));
    settled(leg);
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(leg, WAIT);
  }

  @Test
  void aChannelCreatedAfterItsLegsHangupFoundNothingIsHungUpWhenItEntersStasis() {
    ActorRef<CallCommand> leg = leg();
    manual.expect("originate", WAIT).fail(noAnswer("POST /channels/" + LEG));
    reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    manual.expect("hangup", WAIT).fail(
        new AriCommandException(SERVER, "DELETE /channels/" + LEG, 404, "Channel not found"));
    settled(leg);

    TestProbe<org.apache.pekko.Done> acks = h.kit.createTestProbe();
    leg.tell(new CallCommand.Deliver(new ChannelEvent.StasisEntered(SERVER, LegHarness.T0,
        new ChannelEvent.ChannelInfo(LEG, "PJSIP/x", "Up", null, null, "ctx", "s", null, "en",
            LegHarness.T0),
        java.util.List.of("dial-leg"), Optional.empty()), acks.ref()));
    acks.receiveMessage(WAIT);
    manual.expect("hangup", WAIT).succeed();
    settled(leg);
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(leg, WAIT);
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void anOriginateAsteriskRefusedEndsTheLegWithoutAHangup() {
    ActorRef<CallCommand> leg = leg();
    manual.expect("originate", WAIT).fail(
        new AriCommandException(SERVER, "POST /channels/" + LEG, 400, "Invalid endpoint"));
    assertEquals("failed", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    watcher.expectTerminated(leg, WAIT);
    manual.expectNone(Duration.ofMillis(200));
  }

  @Test
  void aLegsHangupIsSentAgainHoweverOftenItFails() {
    ActorRef<CallCommand> leg = leg();
    manual.expect("originate", WAIT).fail(noAnswer("POST /channels/" + LEG));
    reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    for (int failures = 1; failures <= 12; failures++) {
      manual.expect("hangup", WAIT).fail(noAnswer("DELETE /channels/" + LEG));
      settled(leg);
      h.time.timePasses(Duration.ofSeconds(30));
    }
    manual.expect("hangup", WAIT).succeed();
    settled(leg);
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(leg, WAIT);
  }
}
