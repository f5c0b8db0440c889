package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
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
