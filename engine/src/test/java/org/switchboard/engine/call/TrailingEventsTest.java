package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.engine.hotline.HotlineLegs;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.LegSettings;

/**
 * End-of-life events that trail an ended call, leg or bridge (ChannelDestroyed, StasisEnd,
 * BridgeDestroyed, ChannelHangupRequest, ChannelLeftBridge) are acknowledged at once, start nothing, and the entity passivates through its
 * shard. Time is manual, so the unclaimed timeout never fires here.
 */
class TrailingEventsTest {
  static final ActorTestKit kit = CallFixture.manualTimeKit();

  private final CallFixture f = new CallFixture(kit);
  private final TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ChannelDestroyed", "StasisEnd", "BridgeDestroyed",
      "ChannelHangupRequest", "ChannelLeftBridge"})
  void anEntityWhoseFirstEventIsTrailingAcknowledgesItAndPassivatesAtOnce(String kind) {
    String channel = "gone-" + kind;
    ActorRef<CallCommand> entity = f.entity(channel, LegBehaviorFactory.UNSUPPORTED, shard.ref());
    f.deliver(entity, trailing(kind, channel));
    assertEquals(entity, shard.expectMessageClass(ClusterSharding.Passivate.class).entity());

    for (String late : List.of("ChannelHangupRequest", "ChannelLeftBridge", "ChannelDestroyed",
        "StasisEnd", "BridgeDestroyed")) {
      f.deliver(entity, trailing(late, channel));
    }
    assertEquals(0, f.web.count());
    assertEquals(List.of(), f.ari.history());
    assertEquals(0, f.active.count());
  }

  @Test
  void aLegThatEndedAcknowledgesTheEventsThatTrailIt() {
    ActorRef<CallCommand> leg = f.entity("leg-1",
        new HotlineLegs(LegSettings.defaults("AC11111111111111111111111111111111", Clock.systemUTC())),
        shard.ref());
    TestProbe<LegReport> reports = kit.createTestProbe();
    leg.tell(new CallCommand.StartLeg(new LegSpec(SERVER, "leg-1", "PJSIP/leg-1@trunk", "+15550001",
        "+15550002", 20, Optional.of("CAparent"), Optional.empty(), Optional.empty(), Map.of()),
        reports.ref()));
    f.ari.expect("originate", WAIT);
    f.deliver(leg, new ChannelEvent.ChannelDestroyed(SERVER, Instant.now(), "leg-1", 17,
        "User busy"));
    assertEquals("busy", reports.expectMessageClass(LegReport.LegEnded.class).status());
    assertEquals(leg, shard.expectMessageClass(ClusterSharding.Passivate.class).entity());

    for (String kind : List.of("StasisEnd", "BridgeDestroyed", "ChannelDestroyed")) {
      f.deliver(leg, trailing(kind, "leg-1"));
    }
    assertEquals(0, f.active.count());
  }

  private static ChannelEvent trailing(String kind, String channel) {
    Instant now = Instant.now();
    String callSid = CallSid.forChannel(new ChannelRef(SERVER, channel));
    return switch (kind) {
      case "ChannelDestroyed" -> new ChannelEvent.ChannelDestroyed(SERVER, now, channel, 16,
          "Normal Clearing");
      case "StasisEnd" -> new ChannelEvent.StasisLeft(SERVER, now, channel);
      case "BridgeDestroyed" -> new ChannelEvent.BridgeDestroyed(SERVER, now, callSid + "-br-0");
      case "ChannelHangupRequest" -> new ChannelEvent.HangupRequested(SERVER, now, channel, 16, true);
      case "ChannelLeftBridge" -> new ChannelEvent.LeftBridge(SERVER, now, channel, callSid + "-br-0");
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
