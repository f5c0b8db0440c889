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
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A failure inside a {@link LegActor}, injected in each of its situations, never ends it silently:
 * the leg's channel is hung up, its group hears its proper final status, its final status callback
 * goes out, and the actor stops.
 */
class LegFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final String LEG = "legA";
  private final LegHarness h = new LegHarness();
  private final TestProbe<LegReport> reports = h.kit.createTestProbe();
  private final TestProbe<Object> watcher = h.kit.createTestProbe();

  @AfterEach
  void close() {
    h.close();
  }

  private void start() {
    var callback = new LegSpec.StatusCallback(URI.create("https://app.example/status"),
        List.of("completed"), Method.POST);
    h.entity(sidOf(LEG)).tell(
        new CallCommand.StartLeg(LegHarness.spec(LEG, 20, Optional.of(callback)), reports.ref()));
    h.ari.expect("originate", WAIT);
  }

  /** A Deliver whose handling throws inside the behaviour (its ack ref is missing). */
  private void throwingMessage() {
    h.entity(sidOf(LEG)).tell(new CallCommand.Deliver(
        new ChannelEvent.DtmfReceived(SERVER, T0, LEG, "1", 100), null));
  }

  private void expectEnded(String status) {
    assertEquals(new ChannelRef(SERVER, LEG), h.ari.expect("hangup", WAIT).arg(0));
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals(status, ended.status());
    WebhookPort.WebhookRequest callback = h.webhooks.next(WAIT);
    assertEquals(status, param(callback, "CallStatus"));
    h.time.timePasses(h.settings.linger());
    ActorRef<CallCommand> leg = h.entities.get(sidOf(LEG));
    watcher.expectTerminated(leg, WAIT);
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void whileRinging() {
    start();
    h.dial(LEG, "RINGING");
    assertInstanceOf(LegReport.LegRinging.class, reports.receiveMessage(WAIT));
    throwingMessage();
    expectEnded("failed");
  }

  @Test
  void answeredButNotYetInStasis() {
    start();
    h.deliver(new ChannelEvent.DialProgress(SERVER, T0.plusSeconds(3), LEG, "ANSWER"));
    throwingMessage();
    expectEnded("completed");
  }

  @Test
  void whenClaimed() {
    start();
    h.answer(LEG, T0.plusSeconds(2));
    assertInstanceOf(LegReport.LegAnswered.class, reports.receiveMessage(WAIT));
    throwingMessage();
    expectEnded("completed");
  }

  @Test
  void whenTheAnsweredLegRunnerThrows() {
    h.runner = (leg, then) -> {
      throw new IllegalStateException("injected: the answered-leg runner failed");
    };
    var callback = new LegSpec.StatusCallback(URI.create("https://app.example/status"),
        List.of("completed"), Method.POST);
    LegSpec s = LegHarness.spec(LEG, 20, Optional.of(callback));
    LegSpec whisper = new LegSpec(s.serverId(), s.channelId(), s.endpoint(), s.target(),
        s.callerId(), s.timeoutSeconds(), s.parentCallSid(),
        Optional.of(new LegSpec.TwimlSource(URI.create("https://app.example/whisper"),
            Method.POST)),
        s.statusCallback(), s.variables());
    h.entity(sidOf(LEG)).tell(new CallCommand.StartLeg(whisper, reports.ref()));
    h.ari.expect("originate", WAIT);
    h.answer(LEG, T0.plusSeconds(2));
    reports.expectMessageClass(LegReport.LegPickedUp.class, WAIT);
    expectEnded("completed");
  }

  @Test
  void whileLingering() {
    start();
    h.dial(LEG, "BUSY");
    assertEquals("busy", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    h.ari.expect("hangup", WAIT);
    assertEquals("busy", param(h.webhooks.next(WAIT), "CallStatus"));
    throwingMessage();
    assertEquals(new ChannelRef(SERVER, LEG), h.ari.expect("hangup", WAIT).arg(0));
    // once the failure is handled the hangup's confirmation is queued before LINGER fires
    TestProbe<org.switchboard.engine.protocol.CallSnapshot> snapshots = h.kit.createTestProbe();
    h.entity(sidOf(LEG)).tell(new CallCommand.GetSnapshot(snapshots.ref()));
    assertEquals("busy", snapshots.receiveMessage(WAIT).status());
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(h.entities.get(sidOf(LEG)), WAIT);
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aHangupThatFailsIsRetriedUntilAsteriskConfirmsIt() {
    FakeAriPort manual = FakeAriPort.manual();
    var leg = canceledLeg(manual);
    AriCommandException serverError =
        new AriCommandException(SERVER, "DELETE /channels/" + LEG, 500, "Internal Server Error");
    manual.expect("hangup", WAIT).fail(serverError);
    settle(leg);
    h.time.timePasses(Duration.ofSeconds(1));
    manual.expect("hangup", WAIT).fail(serverError);
    settle(leg);
    // LINGER is over but the channel may still be up: the leg lingers on and retries
    h.time.timePasses(h.settings.linger());
    manual.expect("hangup", WAIT).succeed();
    settle(leg);
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(leg, WAIT);
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aHangupIsNeverGivenUpWhileTheChannelMayBeUp() {
    FakeAriPort manual = FakeAriPort.manual();
    var leg = canceledLeg(manual);
    AriCommandException noAnswer =
        new AriCommandException(SERVER, "DELETE /channels/" + LEG, 0, "no answer within 10000 ms");
    for (int failure = 1; failure <= 12; failure++) {
      manual.expect("hangup", WAIT).fail(noAnswer);
      settle(leg);
      h.time.timePasses(Duration.ofSeconds(30)); // the longest backoff, and past LINGER
    }
    manual.expect("hangup", WAIT).succeed();
    settle(leg);
    h.time.timePasses(h.settings.linger());
    watcher.expectTerminated(leg, WAIT);
  }

  /** A leg on {@code manual} whose originate succeeded, then canceled: it hangs up next. */
  private ActorRef<CallCommand> canceledLeg(FakeAriPort manual) {
    var leg = h.kit.spawn(LegActor.create(sidOf(LEG),
        new CallCommand.StartLeg(LegHarness.spec(LEG, 20, Optional.empty()), reports.ref()),
        manual, h.webhooks, h.settings, AnsweredLegRunner.SKIP));
    manual.expect("originate", WAIT).succeed();
    leg.tell(new CallCommand.CancelLeg(LegCancelCause.PARENT_HUNG_UP));
    assertEquals("canceled", reports.expectMessageClass(LegReport.LegEnded.class, WAIT).status());
    return leg;
  }

  /** Returns once {@code leg} has handled every message queued for it before this call. */
  private void settle(ActorRef<CallCommand> leg) {
    TestProbe<org.switchboard.engine.protocol.CallSnapshot> snapshots = h.kit.createTestProbe();
    for (int i = 0; i < 2; i++) {
      leg.tell(new CallCommand.GetSnapshot(snapshots.ref()));
      snapshots.receiveMessage(WAIT);
    }
  }
}
