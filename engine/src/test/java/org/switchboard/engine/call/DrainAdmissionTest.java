package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.CHANNEL;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.testing.FakeWebhookPort;

/** A new call reaching a draining node: refused busy or rejected, or redirected. */
class DrainAdmissionTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static CallFixture newCallWhileDraining(DrainPolicy policy) {
    CallFixture f = new CallFixture(kit);
    f.web.twiml(APP + "/voice", "<Response><Say>Welcome</Say></Response>");
    f.web.twiml(APP + "/elsewhere", "<Response><Say>Elsewhere</Say></Response>");
    CallServices services = f.services();
    services.activeCalls().startDraining(policy);
    ActorRef<CallCommand> entity = kit.spawn(
        CallEntity.create(f.callSid, services, LegBehaviorFactory.UNSUPPORTED, Optional.empty()));
    f.call = entity;
    entity.tell(new CallCommand.Deliver(CallFixture.stasisStart(), f.acks.ref()));
    f.acks.expectMessage(WAIT, Done.getInstance());
    return f;
  }

  @Test
  void busyHangsTheNewChannelUpWithoutAskingTheApplication() {
    CallFixture f = newCallWhileDraining(DrainPolicy.BUSY);
    var hangup = f.ari.expect("hangup", WAIT);
    assertEquals(new ChannelRef(SERVER, CHANNEL), hangup.arg(0));
    assertEquals(HangupReason.BUSY, hangup.arg(1));
    assertEquals(0, f.web.count());
    assertEquals(0, f.active.count());
  }

  @Test
  void aRefusalWhoseHangupFailsIsSentAgainUntilAsteriskConfirms() {
    CallFixture f = new CallFixture(kit);
    f.ari.failAll("hangup", new AriCommandException(SERVER, "hangup", 500, "Internal error"));
    CallServices services = f.services();
    services.activeCalls().startDraining(DrainPolicy.BUSY);
    ActorRef<CallCommand> entity = kit.spawn(
        CallEntity.create(f.callSid, services, LegBehaviorFactory.UNSUPPORTED, Optional.empty()));
    entity.tell(new CallCommand.Deliver(CallFixture.stasisStart(), f.acks.ref()));
    f.ari.expect("hangup", WAIT);
    f.ari.expect("hangup", WAIT);
    assertEquals(1, f.active.hangupsPending());
    assertEquals(1, f.active.channelsUp());
    f.ari.stopFailing("hangup");
    assertEquals(HangupReason.BUSY, f.ari.expect("hangup", WAIT).arg(1));
    TestProbe<CallCommand> watcher = kit.createTestProbe();
    watcher.expectTerminated(entity, WAIT);
    assertEquals(0, f.active.hangupsPending());
    assertEquals(0, f.active.channelsUp());
  }

  @Test
  void sheddingRefusesTheNewCallAndCountsIt() {
    CallFixture f = new CallFixture(kit);
    CallServices services = f.services();
    services.activeCalls().shed(Optional.of(
        new DrainPolicy(DrainPolicy.NewCalls.REJECT, Optional.empty(), Optional.empty())));
    ActorRef<CallCommand> entity = kit.spawn(
        CallEntity.create(f.callSid, services, LegBehaviorFactory.UNSUPPORTED, Optional.empty()));
    entity.tell(new CallCommand.Deliver(CallFixture.stasisStart(), f.acks.ref()));
    assertEquals(HangupReason.REJECTED, f.ari.expect("hangup", WAIT).arg(1));
    assertEquals(1, f.active.shedCount());
    assertEquals(0, f.web.count());
  }

  @Test
  void rejectUsesTheRejectedCause() {
    CallFixture f = newCallWhileDraining(
        new DrainPolicy(DrainPolicy.NewCalls.REJECT, Optional.empty(), Optional.empty()));
    assertEquals(HangupReason.REJECTED, f.ari.expect("hangup", WAIT).arg(1));
    assertEquals(0, f.web.count());
  }

  @Test
  void redirectRunsTheRedirectUrlInsteadOfTheVoiceUrl() {
    CallFixture f = newCallWhileDraining(new DrainPolicy(DrainPolicy.NewCalls.REDIRECT,
        Optional.of(URI.create(APP + "/elsewhere")), Optional.empty()));
    FakeWebhookPort.Seen fetch = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/elsewhere"), fetch.url());
    assertEquals(f.callSid, fetch.param("CallSid"));
    assertEquals(List.of("sound:tts/Elsewhere"), f.expectPlayMedia());
  }

  @Test
  void redirectWithASayTextSpeaksItThenHangsUpWithItsFinalCallback() {
    CallFixture f = newCallWhileDraining(new DrainPolicy(DrainPolicy.NewCalls.REDIRECT,
        Optional.empty(), Optional.of("We are restarting <now> & back soon")));
    var play = f.ari.expect("play", WAIT);
    assertEquals(List.of("sound:tts/We are restarting <now> & back soon"), play.arg(2));
    f.playbackFinished(play.arg(1));
    f.ari.expect("hangup", WAIT);
    assertEquals("completed", f.expectFinalStatus().param("CallStatus"));
    f.web.expectNoNotify(Duration.ofMillis(100));
  }

  @Test
  void redirectNeedsAUrlOrAText() {
    assertThrows(IllegalArgumentException.class, () -> new DrainPolicy(
        DrainPolicy.NewCalls.REDIRECT, Optional.empty(), Optional.empty()));
  }
}
