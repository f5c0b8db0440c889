package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * The door at the event socket: new calls turned away while the node sheds or drains, their
 * hangups on the refusal lane (bounded, sent again until Asterisk confirms), their later events
 * absorbed. Timers run on {@link ManualTime}.
 */
class DoorKeeperTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  /** A real-time window in which nothing must happen (timers do not move in it). */
  private static final Duration QUIET = Duration.ofMillis(100);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private final ActiveCalls active = new ActiveCalls();
  private final FakeAriPort lane = FakeAriPort.manual();

  private DoorKeeper door(int maxInFlight) {
    return new DoorKeeper(active, lane, kit.system().scheduler(), kit.system().executionContext(),
        maxInFlight);
  }

  private static ChannelRef channel(String id) {
    return new ChannelRef(SERVER, id);
  }


  @Test
  void whileSheddingANewCallIsRefusedBusyOnTheLaneAndItsEventsAreAbsorbed() {
    DoorKeeper door = door(4);
    assertFalse(door.refusing());
    assertFalse(door.turnAway(CallFixture.stasisStart("c0")), "admitting: the call goes on");
    lane.expectNone(QUIET);

    active.shed(Optional.of(DrainPolicy.BUSY));
    assertTrue(door.refusing());
    assertTrue(door.turnAway(CallFixture.stasisStart("c1")));
    var hangup = lane.expect("hangup", WAIT);
    assertEquals(channel("c1"), hangup.arg(0));
    assertEquals(HangupReason.BUSY, hangup.arg(1));
    assertEquals(1, active.shedCount());
    assertEquals(1, active.hangupsPending(), "up until Asterisk confirms");
    assertEquals(1, active.channelsUp());

    hangup.succeed();
    assertEquals(0, active.hangupsPending());
    assertTrue(door.watching(), "c1's trailing events are still to come");
    assertTrue(door.absorbs(channel("c1"), false));
    assertTrue(door.absorbs(channel("c1"), true));
    assertFalse(door.absorbs(channel("c1"), true), "forgotten once destroyed");
    assertFalse(door.absorbs(channel("c0"), false), "another channel's events are routed");
    active.shed(Optional.empty());
    assertFalse(door.watching());
  }

  @Test
  void aRefusalWhoseHangupFailsIsSentAgainWithBackoffUntilAsteriskConfirms() {
    DoorKeeper door = door(4);
    active.shed(Optional.of(new DrainPolicy(DrainPolicy.NewCalls.REJECT, Optional.empty(),
        Optional.empty())));
    assertTrue(door.turnAway(CallFixture.stasisStart("c1")));
    lane.expect("hangup", WAIT).fail(new AriCommandException(SERVER, "hangup", 500, "busy"));
    lane.expectNone(QUIET);
    time.timePasses(Duration.ofMillis(999));
    lane.expectNone(QUIET);
    time.timePasses(Duration.ofMillis(1));
    var second = lane.expect("hangup", WAIT);
    assertEquals(HangupReason.REJECTED, second.arg(1));
    second.fail(new AriCommandException(SERVER, "hangup", 0, "no answer within 10000 ms"));
    time.timePasses(Duration.ofMillis(1999));
    lane.expectNone(QUIET);
    time.timePasses(Duration.ofMillis(1));
    assertEquals(1, active.hangupsPending());
    lane.expect("hangup", WAIT).fail(new AriCommandException(SERVER, "hangup", 404, "gone"));
    assertEquals(0, active.hangupsPending(), "404: the channel is gone");
    time.timePasses(Duration.ofSeconds(60));
    lane.expectNone(QUIET);
  }

  @Test
  void theChannelsDestructionEndsARefusalAsteriskNeverAnswered() {
    DoorKeeper door = door(4);
    active.shed(Optional.of(DrainPolicy.BUSY));
    door.turnAway(CallFixture.stasisStart("c1"));
    var unanswered = lane.expect("hangup", WAIT);
    assertTrue(door.absorbs(channel("c1"), true));
    assertEquals(0, active.hangupsPending());
    assertEquals(0, door.refusalsOpen());
    unanswered.fail(new AriCommandException(SERVER, "hangup", 0, "no answer within 10000 ms"));
    time.timePasses(Duration.ofSeconds(60));
    lane.expectNone(QUIET);
  }

  @Test
  void aConfirmedRefusalWhoseDestructionNeverComesIsForgottenAfterAWhile() {
    DoorKeeper door = door(4);
    active.shed(Optional.of(DrainPolicy.BUSY));
    door.turnAway(CallFixture.stasisStart("c1"));
    lane.expect("hangup", WAIT).succeed();
    active.shed(Optional.empty());
    assertTrue(door.watching(), "its ChannelDestroyed may still come");
    time.timePasses(DoorKeeper.FORGET_AFTER.minusMillis(1));
    assertTrue(door.watching());
    time.timePasses(Duration.ofMillis(1));
    awaitTrue(() -> !door.watching(), "c1 forgotten (the event socket lost its end)");
    assertFalse(door.absorbs(channel("c1"), false));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void theLaneSendsAtMostItsBoundAtOnceAndTheRestInArrivalOrder() {
    DoorKeeper door = door(2);
    active.shed(Optional.of(DrainPolicy.BUSY));
    for (int i = 1; i <= 5; i++) {
      assertTrue(door.turnAway(CallFixture.stasisStart("c" + i)));
    }
    List<FakeAriPort.Command> sent = new ArrayList<>();
    sent.add(lane.expect("hangup", WAIT));
    sent.add(lane.expect("hangup", WAIT));
    lane.expectNone(QUIET);
    assertEquals(3, door.refusalsWaiting());
    assertEquals(5, active.hangupsPending());
    sent.get(1).succeed();
    var third = lane.expect("hangup", WAIT);
    assertEquals(channel("c3"), third.arg(0));
    lane.expectNone(QUIET);
    sent.get(0).succeed();
    third.succeed();
    assertEquals(channel("c4"), lane.expect("hangup", WAIT).arg(0));
    assertEquals(channel("c5"), lane.expect("hangup", WAIT).arg(0));
    assertEquals(2, active.hangupsPending(), "c1, c2 and c3 confirmed; c4 and c5 in flight");
  }

  @Test
  void manyRefusalsFailingAtOnceDoNotExhaustTheLane() {
    lane.failAll("hangup", new AriCommandException(SERVER, "hangup", 503, "unavailable"));
    DoorKeeper door = door(1);
    active.shed(Optional.of(DrainPolicy.BUSY));
    for (int i = 0; i < 2000; i++) {
      door.turnAway(CallFixture.stasisStart("f" + i));
    }
    assertEquals(2000, active.hangupsPending());
    assertEquals(0, door.refusalsWaiting(), "each tried once, waiting to be sent again");
    for (int i = 0; i < 2000; i++) {
      lane.expect("hangup", WAIT); // the failed first attempts
    }
    lane.stopFailing("hangup");
    time.timePasses(Duration.ofSeconds(1));
    for (int i = 0; i < 2000; i++) {
      lane.expect("hangup", WAIT).succeed();
    }
    assertEquals(0, active.hangupsPending());
  }

  @Test
  void aScriptPolicyALiveCallAndSwitchboardsOwnChannelsAreNotTurnedAway() {
    DoorKeeper door = door(4);
    active.shed(Optional.of(new DrainPolicy(DrainPolicy.NewCalls.REDIRECT, Optional.empty(),
        Optional.of("All lines are busy"))));
    assertFalse(door.refusing(), "a short <Say> runs in the call entity");
    assertFalse(door.turnAway(CallFixture.stasisStart("c1")));

    active.shed(Optional.of(DrainPolicy.BUSY));
    active.register(CallSid.forChannel(channel("live")),
        kit.<CallCommand>createTestProbe().ref());
    assertFalse(door.turnAway(CallFixture.stasisStart("live")), "a call that already runs here");
    lane.expectNone(QUIET);
    assertEquals(0, active.shedCount());
  }

  @Test
  void aCallRefusedByItsEntityAfterPassingTheDoorIsHungUpOnTheLaneToo() {
    CallFixture f = new CallFixture(kit);
    CallServices services = f.services();
    DoorKeeper door = new DoorKeeper(services.activeCalls(), lane, kit.system().scheduler(),
        kit.system().executionContext(), 4);
    services.activeCalls().shed(Optional.of(DrainPolicy.BUSY));
    var entity = kit.spawn(CallEntity.create(f.callSid, services, LegBehaviorFactory.UNSUPPORTED,
        Optional.empty()));
    entity.tell(new CallCommand.Deliver(CallFixture.stasisStart(), f.acks.ref()));
    f.acks.expectMessage(WAIT, Done.getInstance());
    var hangup = lane.expect("hangup", WAIT);
    assertEquals(channel(CallFixture.CHANNEL), hangup.arg(0));
    assertEquals(HangupReason.BUSY, hangup.arg(1));
    f.ari.expectNone(QUIET);
    assertEquals(1, services.activeCalls().shedCount());
    assertEquals(1, services.activeCalls().hangupsPending());
    assertTrue(door.absorbs(channel(CallFixture.CHANNEL), false), "its later frames too");
    hangup.succeed();
    assertEquals(0, services.activeCalls().hangupsPending());
    kit.createTestProbe().expectTerminated(entity, WAIT);
  }

  @Test
  void aDrainingNodeRefusesAtTheDoorWithoutCountingShedCalls() {
    DoorKeeper door = door(4);
    active.shed(Optional.of(new DrainPolicy(DrainPolicy.NewCalls.REDIRECT, Optional.empty(),
        Optional.of("All lines are busy"))));
    active.startDraining(DrainPolicy.BUSY);
    assertTrue(door.refusing(), "draining wins over shedding");
    assertTrue(door.turnAway(CallFixture.stasisStart("c1")));
    assertEquals(HangupReason.BUSY, lane.expect("hangup", WAIT).arg(1));
    assertEquals(0, active.shedCount());
    assertEquals(1, active.hangupsPending());
  }
}
