package org.switchboard.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelRef;

/**
 * Sharded queues that stay empty passivate (one queue per call must not mean one actor per call
 * forever), while a queue with a caller keeps its state; a passivated queue comes back on use.
 */
class QueueIdleTest {
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ActorTestKit kit = ActorTestKit.create("QueueIdleTest", ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void anEmptyQueuePassivatesAndAQueueWithACallerDoesNot() {
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Queues queues = Queues.start(kit.system(), new QueueSettings(1000, 100, Clock.systemUTC(), IDLE));
    TestProbe<QueueActor.JoinReply> joins = kit.createTestProbe();
    TestProbe<QueueNotice> notices = kit.createTestProbe();
    TestProbe<QueueStats> stats = kit.createTestProbe();

    queues.queue("held").tell(new QueueActor.Join("CA1", new ChannelRef("ast1", "ch-1"),
        notices.ref(), OptionalInt.empty(), joins.ref()));
    assertInstanceOf(QueueActor.Joined.class, joins.receiveMessage(WAIT));
    queues.queue("empty").tell(new QueueActor.GetStats(stats.ref()));
    assertEquals(0, stats.receiveMessage(WAIT).currentSize());
    assertEquals(java.util.Set.of("held", "empty"), queues.names());

    // "empty" was created after "held": once it has passivated, "held" would have too.
    stats.awaitAssert(WAIT, () -> {
      assertFalse(queues.isLive("empty"));
      return null;
    });
    assertTrue(queues.isLive("held"));
    // A passivated queue stays known (Twilio's queues persist until deleted), with its first date.
    assertEquals(java.util.Set.of("held", "empty"), queues.names());
    queues.queue("held").tell(new QueueActor.GetStats(stats.ref()));
    QueueStats held = stats.receiveMessage(WAIT);
    assertEquals(1, held.currentSize());
    assertEquals("CA1", held.members().get(0).callSid());

    queues.queue("held").tell(new QueueActor.Leave("CA1", QueueActor.LeaveReason.HANGUP));
    stats.awaitAssert(WAIT, () -> {
      assertFalse(queues.isLive("held"));
      return null;
    });

    queues.queue("held").tell(new QueueActor.Join("CA2", new ChannelRef("ast1", "ch-2"),
        notices.ref(), OptionalInt.empty(), joins.ref()));
    QueueActor.Joined again = assertInstanceOf(QueueActor.Joined.class, joins.receiveMessage(WAIT));
    assertEquals(1, again.position());
    assertEquals(QueueActor.queueSid("held"), again.queueSid());
    assertTrue(queues.names().contains("held"));
  }
}
