package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * An outbound leg's channel that enters Stasis when no leg runs for it (Asterisk carried out an
 * originate its leg gave up on) is hung up at once, before any orphan grace, and never runs as
 * an inbound call. Time is manual and never advanced.
 */
class StrayLegChannelTest {
  static final ActorTestKit kit = CallFixture.manualTimeKit();

  private final CallFixture f = new CallFixture(kit);
  private final TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aLegChannelEnteringStasisWithNoLegIsHungUpAtOnceAndRunsNoCall() {
    String channel = "sb-late-1";
    String callSid = CallSid.forChannel(new ChannelRef(SERVER, channel));
    ActorRef<CallCommand> entity = f.entity(channel, LegBehaviorFactory.UNSUPPORTED, shard.ref());
    f.deliver(entity, new ChannelEvent.StasisEntered(SERVER, Instant.now(),
        new ChannelEvent.ChannelInfo(channel, "PJSIP/volunteer-0001", "Up", null, null, "ctx",
            "s", null, "en", Instant.now()),
        List.of("dial-leg", callSid), Optional.empty()));

    FakeAriPort.Command hangup = f.ari.expect("hangup", WAIT);
    assertEquals(new ChannelRef(SERVER, channel), hangup.arg(0));
    assertEquals(HangupReason.NORMAL, hangup.arg(1));
    assertEquals(0, f.web.count(), "a leg's channel ran as an inbound call");
    assertEquals(1, f.ari.history().size(), f.ari.history().toString());
  }
}
