package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;

/**
 * An ending entity: it asks its shard to passivate it, acknowledges trailing events, and hands a
 * StasisStart (a new call on the same channel) back to sharding for its next incarnation instead
 * of leaving it unacknowledged (which lost the call).
 */
class EntityEndTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ActorTestKit kit = ActorTestKit.create("EntityEndTest");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aStasisStartThatReachesAPassivatingEntityGoesBackThroughSharding() {
    TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();
    TestProbe<CallCommand> redelivered = kit.createTestProbe();
    EntityEnd end = EntityEnd.of(Optional.of(shard.ref()), redelivered.ref()::tell);
    ActorRef<CallCommand> entity = kit.spawn(Behaviors.setup(end::end));

    ClusterSharding.Passivate<?> passivate =
        assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage(WAIT));
    assertEquals(entity, passivate.entity());

    TestProbe<Done> trailingAck = kit.createTestProbe();
    entity.tell(new CallCommand.Deliver(new ChannelEvent.ChannelDestroyed(CallFixture.SERVER,
        Instant.now(), CallFixture.CHANNEL, 16, "Normal Clearing"), trailingAck.ref()));
    trailingAck.expectMessage(WAIT, Done.getInstance());

    TestProbe<Done> startAck = kit.createTestProbe();
    CallCommand.Deliver start = new CallCommand.Deliver(CallFixture.stasisStart(), startAck.ref());
    entity.tell(start);
    assertSame(start, redelivered.receiveMessage(WAIT));
    startAck.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void outsideShardingTheActorStops() {
    TestProbe<CallCommand> redelivered = kit.createTestProbe();
    ActorRef<CallCommand> entity =
        kit.spawn(Behaviors.setup(EntityEnd.of(Optional.empty(), redelivered.ref()::tell)::end));
    TestProbe<CallCommand> watcher = kit.createTestProbe();
    watcher.expectTerminated(entity, WAIT);
  }
}
