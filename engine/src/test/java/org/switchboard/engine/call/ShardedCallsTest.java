package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.switchboard.engine.protocol.CallCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;
import org.switchboard.engine.testing.FakeWebhookPort;

/** A single-node cluster: events reach call entities through the sharded event sink. */
class ShardedCallsTest {
  static final ActorTestKit kit = ActorTestKit.create("ShardedCallsTest", ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void eventsReachTheirCallThroughSharding() throws Exception {
    CallFixture f = new CallFixture(kit);
    f.orphanGrace = Duration.ofMillis(200);
    f.web.twiml(APP + "/voice",
        "<Response><Gather numDigits=\"1\" action=\"/menu\"><Say>Press 1</Say></Gather></Response>");
    Calls calls = Calls.start(kit.system(), f.services(), LegBehaviorFactory.UNSUPPORTED);
    EventSink sink = calls.eventSink();

    sink.deliver(CallFixture.stasisStart()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    FakeWebhookPort.Seen initial = f.web.nextFetch(Duration.ofSeconds(20));
    assertEquals(f.callSid, initial.param("CallSid"));
    f.ari.expect("play", WAIT);
    sink.deliver(new ChannelEvent.DtmfReceived(CallFixture.SERVER, Instant.now(),
        CallFixture.CHANNEL, "1", 80)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("1", f.web.nextFetch(WAIT).param("Digits"));
    assertEquals(1, calls.active().count());

    sink.serverEvent(new ServerEvent.Resynced(CallFixture.SERVER, Instant.now(),
        List.of(new ChannelEvent.ChannelInfo("orphan.7", "PJSIP/x", "Up", null, null, "ctx", "s",
            "", "en", Instant.now())), List.of()));
    var hangup = f.ari.expect(c -> c.op().equals("hangup")
        && c.<ChannelRef>arg(0).channelId().equals("orphan.7"), "orphan hangup", WAIT);
    assertEquals(CallFixture.SERVER, hangup.<ChannelRef>arg(0).serverId());
  }

  /**
   * The event sink's two short cuts, on an actor system of its own (sharding keeps the services of
   * the first {@code Calls.start} of a system): the end-of-life events of a call that ended here
   * are acknowledged without an entity, and an event of a call running here goes straight to its
   * entity, or through sharding when that entity stopped.
   */
  @Test
  void trailingEventsOfEndedCallsAndEventsOfRunningCallsTakeTheShortWay() throws Exception {
    ActorTestKit own = ActorTestKit.create("ShardedCallsTrailing", ConfigFactory.load());
    try {
      CallFixture f = new CallFixture(own);
      String channel = "1700000000.77";
      String callSid = CallSid.forChannel(new ChannelRef(CallFixture.SERVER, channel));
      f.web.twiml(APP + "/voice", "<Response><Hangup/></Response>");
      Calls calls = Calls.start(own.system(), f.services(), LegBehaviorFactory.UNSUPPORTED);
      EventSink sink = calls.eventSink();

      sink.deliver(CallFixture.stasisStart(channel)).toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      f.ari.expect("hangup", WAIT);
      own.createTestProbe().awaitAssert(WAIT, () -> {
        assertTrue(calls.active().endedHere(callSid), "the call's entity ended");
        return null;
      });

      for (ChannelEvent late : List.of(
          new ChannelEvent.HangupRequested(CallFixture.SERVER, Instant.now(), channel, 16, false),
          new ChannelEvent.StasisLeft(CallFixture.SERVER, Instant.now(), channel),
          new ChannelEvent.ChannelDestroyed(CallFixture.SERVER, Instant.now(), channel, 16,
              "Normal Clearing"))) {
        assertTrue(sink.deliver(late).toCompletableFuture().isDone(),
            late + " is acknowledged by the sink itself");
      }

      // The same channel id starts a call again: its own end-of-life events must reach it. (It
      // pauses, so it cannot end and be remembered again before the check, however late it runs.)
      f.web.twiml(APP + "/voice", "<Response><Pause length=\"60\"/></Response>");
      sink.deliver(CallFixture.stasisStart(channel));
      assertFalse(calls.active().endedHere(callSid));

      // A call running here: its event goes to the entity registered for it.
      String running = "1700000000.81";
      String runningSid = CallSid.forChannel(new ChannelRef(CallFixture.SERVER, running));
      TestProbe<CallCommand> entity = own.createTestProbe();
      calls.active().register(runningSid, entity.ref());
      var delivered = sink.deliver(new ChannelEvent.DtmfReceived(CallFixture.SERVER,
          Instant.now(), running, "5", 80)).toCompletableFuture();
      CallCommand.Deliver straight = entity.expectMessageClass(CallCommand.Deliver.class);
      assertEquals("5", ((ChannelEvent.DtmfReceived) straight.event()).digit());
      straight.ack().tell(org.apache.pekko.Done.getInstance());
      delivered.get(5, TimeUnit.SECONDS);

      // Registered, but its actor stopped (as a handed-over entity's): the event goes through
      // sharding, whose fresh (unclaimed) entity acknowledges it.
      String stopped = "1700000000.82";
      String stoppedSid = CallSid.forChannel(new ChannelRef(CallFixture.SERVER, stopped));
      var gone = own.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.<CallCommand>setup(
          ctx -> org.apache.pekko.actor.typed.javadsl.Behaviors.stopped()), stoppedSid);
      own.createTestProbe().expectTerminated(gone, WAIT);
      calls.active().register(stoppedSid, gone);
      sink.deliver(new ChannelEvent.StateChanged(CallFixture.SERVER, Instant.now(), stopped, "Up"))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
    } finally {
      own.shutdownTestKit();
    }
  }

  @Test
  void routingFollowsTheResourceNamingRule() {
    String owner = "CA0123456789abcdef0123456789abcdef";
    assertEquals(owner, CallRouting.entityIdFor("ast1", owner + "-bridge-1"));
    assertEquals(CallSid.forChannel(new ChannelRef("ast1", "1700.5")),
        CallRouting.entityIdFor("ast1", "1700.5"));
    ChannelEvent playback = new ChannelEvent.PlaybackFinished("ast1", Instant.now(),
        owner + "-playback-3", java.util.Optional.of("1700.5"), java.util.Optional.empty(), false);
    assertEquals(CallSid.forChannel(new ChannelRef("ast1", "1700.5")),
        CallRouting.entityIdFor(playback));
    ChannelEvent bridged = new ChannelEvent.BridgeDestroyed("ast1", Instant.now(),
        owner + "-bridge-2");
    assertEquals(owner, CallRouting.entityIdFor(bridged));
  }
}
