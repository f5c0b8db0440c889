package org.switchboard.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelRef;

/**
 * The idle clock of a sharded queue and the window between asking the shard to passivate and
 * being stopped: the shard and the queue's own entity ref are probes, time is {@link ManualTime}.
 * A command that reaches the queue in that window must go back through sharding (to the next
 * incarnation), never be answered by, or lost in, the incarnation that is going away.
 */
class QueuePassivationTest {
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime time = ManualTime.get(kit.system());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private record Sharded(
      ActorRef<QueueActor.Command> queue,
      TestProbe<ClusterSharding.ShardCommand> shard,
      TestProbe<QueueActor.Command> self,
      List<String> retired) {}

  private static Sharded spawn(String name) {
    TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();
    TestProbe<QueueActor.Command> self = kit.createTestProbe();
    List<String> retired = new CopyOnWriteArrayList<>();
    ActorRef<QueueActor.Command> queue = kit.spawn(QueueActor.create(name,
        new QueueSettings(1000, 100, Clock.systemUTC(), IDLE),
        Optional.of(new QueueActor.Sharded(shard.ref(),
            TestEntityRef.of(Queues.TYPE_KEY, name, self.ref()), retired::add))));
    // Started (and its idle clock running) once it answered.
    TestProbe<QueueStats> stats = kit.createTestProbe();
    queue.tell(new QueueActor.GetStats(stats.ref()));
    assertEquals(0, stats.receiveMessage(WAIT).currentSize());
    return new Sharded(queue, shard, self, retired);
  }

  private static QueueActor.Join join(String callSid, TestProbe<QueueActor.JoinReply> replies) {
    TestProbe<QueueNotice> notices = kit.createTestProbe();
    return new QueueActor.Join(callSid, new ChannelRef("ast1", "ch-" + callSid), notices.ref(),
        OptionalInt.empty(), replies.ref());
  }

  @Test
  void commandsThatArriveWhileItPassivatesGoBackThroughSharding() {
    Sharded q = spawn("window");
    time.expectNoMessageFor(IDLE.minusSeconds(1), q.shard());
    time.timePasses(Duration.ofSeconds(2));
    ClusterSharding.Passivate<?> passivate =
        assertInstanceOf(ClusterSharding.Passivate.class, q.shard().receiveMessage(WAIT));
    assertEquals(q.queue(), passivate.entity());
    assertEquals(List.of("window"), q.retired());

    // The shard has not stopped it yet: a caller and a stats query arrive.
    TestProbe<QueueActor.JoinReply> joins = kit.createTestProbe();
    TestProbe<QueueStats> stats = kit.createTestProbe();
    QueueActor.Join caller = join("CA1", joins);
    QueueActor.GetStats query = new QueueActor.GetStats(stats.ref());
    q.queue().tell(caller);
    q.queue().tell(query);

    assertEquals(caller, q.self().receiveMessage(WAIT));
    assertEquals(query, q.self().receiveMessage(WAIT));
    joins.expectNoMessage(Duration.ofMillis(200));
    stats.expectNoMessage(Duration.ofMillis(10));
    // It asks to passivate once, however long the shard takes.
    time.expectNoMessageFor(IDLE.multipliedBy(2), q.shard());
  }

  @Test
  void theIdleClockStartsAgainWhenTheLastCallerLeaves() {
    Sharded q = spawn("restart");
    time.timePasses(IDLE.minusSeconds(10));
    TestProbe<QueueActor.JoinReply> joins = kit.createTestProbe();
    q.queue().tell(join("CA1", joins));
    assertInstanceOf(QueueActor.Joined.class, joins.receiveMessage(WAIT));
    // A caller waits far longer than the idle timeout: the queue stays.
    time.expectNoMessageFor(IDLE.multipliedBy(3), q.shard());

    q.queue().tell(new QueueActor.Leave("CA1", QueueActor.LeaveReason.HANGUP));
    TestProbe<QueueStats> stats = kit.createTestProbe();
    q.queue().tell(new QueueActor.GetStats(stats.ref()));
    assertEquals(0, stats.receiveMessage(WAIT).currentSize());
    time.expectNoMessageFor(IDLE.minusSeconds(1), q.shard());
    time.timePasses(Duration.ofSeconds(2));
    assertInstanceOf(ClusterSharding.Passivate.class, q.shard().receiveMessage(WAIT));
  }

  @Test
  void aWaitingDequeuerKeepsTheQueueUntilItGivesUp() {
    Sharded q = spawn("waiter");
    TestProbe<QueueActor.DequeueReply> replies = kit.createTestProbe();
    q.queue().tell(new QueueActor.DequeueFront("CAvolunteer", IDLE.multipliedBy(2), replies.ref()));
    TestProbe<QueueStats> stats = kit.createTestProbe();
    q.queue().tell(new QueueActor.GetStats(stats.ref()));
    stats.receiveMessage(WAIT);
    time.expectNoMessageFor(IDLE.multipliedBy(2).minusSeconds(1), q.shard());
    time.timePasses(Duration.ofSeconds(2));
    assertInstanceOf(QueueActor.NoMember.class, replies.receiveMessage(WAIT));
    // The waiter is gone: from now on the queue is idle. (The queue may start its clock while
    // timePasses is still running, i.e. up to the 2 s before the manual clock moved on.)
    time.expectNoMessageFor(IDLE.minusSeconds(3), q.shard());
    time.timePasses(Duration.ofSeconds(4));
    assertInstanceOf(ClusterSharding.Passivate.class, q.shard().receiveMessage(WAIT));
  }
}
