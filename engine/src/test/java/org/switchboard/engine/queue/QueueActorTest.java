package org.switchboard.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelRef;

class QueueActorTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private final ManualTime time = ManualTime.get(kit.system());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
  private final ActorRef<QueueActor.Command> queue =
      kit.spawn(QueueActor.create("support", new QueueSettings(1000, 100, clock)));
  private final TestProbe<QueueNotice> notices = kit.createTestProbe();
  private final TestProbe<QueueActor.JoinReply> joins = kit.createTestProbe();
  private final TestProbe<QueueActor.DequeueReply> dequeues = kit.createTestProbe();

  @AfterEach
  void close() {
    kit.shutdownTestKit();
  }

  private QueueActor.JoinReply join(String callSid, OptionalInt max) {
    queue.tell(new QueueActor.Join(callSid, new ChannelRef("ast1", "ch-" + callSid), notices.ref(), max, joins.ref()));
    return joins.receiveMessage(WAIT);
  }

  @Test
  void joinsInOrderWithPositionsAndTheDeterministicQueueSid() {
    QueueActor.Joined a = assertInstanceOf(QueueActor.Joined.class, join("CA1", OptionalInt.empty()));
    QueueActor.Joined b = assertInstanceOf(QueueActor.Joined.class, join("CA2", OptionalInt.empty()));
    assertEquals(1, a.position());
    assertEquals(2, b.position());
    assertEquals(2, b.size());
    assertEquals(1000, b.maxSize());
    assertEquals(QueueActor.queueSid("support"), a.queueSid());
    assertEquals(34, a.queueSid().length());
  }

  @Test
  void aCallerBackAfterARestartTakesThePlaceOfItsFirstJoin() {
    Instant early = clock.instant();
    clock.advance(Duration.ofSeconds(10));
    join("CA2", OptionalInt.empty());
    clock.advance(Duration.ofSeconds(10));
    join("CA3", OptionalInt.empty());

    queue.tell(new QueueActor.Rejoin(new QueueActor.Join("CA1", new ChannelRef("ast1", "ch-CA1"),
        notices.ref(), OptionalInt.empty(), joins.ref()), early));
    QueueActor.Joined back = assertInstanceOf(QueueActor.Joined.class, joins.receiveMessage(WAIT));
    assertEquals(1, back.position());
    assertEquals(3, back.size());

    queue.tell(new QueueActor.Rejoin(new QueueActor.Join("CA4", new ChannelRef("ast1", "ch-CA4"),
        notices.ref(), OptionalInt.empty(), joins.ref()), early.plusSeconds(15)));
    assertEquals(3, assertInstanceOf(QueueActor.Joined.class, joins.receiveMessage(WAIT)).position());

    TestProbe<QueueActor.PositionReply> positions = kit.createTestProbe();
    queue.tell(new QueueActor.GetPosition("CA3", positions.ref()));
    assertEquals(4, assertInstanceOf(QueueActor.Position.class, positions.receiveMessage(WAIT))
        .position());
  }

  @Test
  void aFullQueueRefusesTheCaller() {
    join("CA1", OptionalInt.of(2));
    join("CA2", OptionalInt.of(2));
    QueueActor.Full full = assertInstanceOf(QueueActor.Full.class, join("CA3", OptionalInt.of(2)));
    assertEquals(2, full.size());
    assertEquals(2, full.maxSize());
  }

  @Test
  void positionsMoveUpWhenTheFrontLeavesAndAverageWaitCountsDequeuedMembers() {
    join("CA1", OptionalInt.empty());
    clock.advance(Duration.ofSeconds(10));
    join("CA2", OptionalInt.empty());
    join("CA3", OptionalInt.empty());
    clock.advance(Duration.ofSeconds(20));
    queue.tell(new QueueActor.DequeueFront("CAagent", Duration.ofSeconds(30), dequeues.ref()));
    QueueActor.Dequeued first = assertInstanceOf(QueueActor.Dequeued.class, dequeues.receiveMessage(WAIT));
    assertEquals("CA1", first.member().callSid());
    assertEquals(30, first.queueTimeSeconds());
    queue.tell(new QueueActor.Leave("CA2", QueueActor.LeaveReason.HANGUP));
    clock.advance(Duration.ofSeconds(20));
    queue.tell(new QueueActor.DequeueFront("CAagent2", Duration.ofSeconds(30), dequeues.ref()));
    assertEquals("CA3", assertInstanceOf(QueueActor.Dequeued.class, dequeues.receiveMessage(WAIT)).member().callSid());
    join("CA4", OptionalInt.empty());
    TestProbe<QueueActor.PositionReply> positions = kit.createTestProbe();
    queue.tell(new QueueActor.GetPosition("CA4", positions.ref()));
    QueueActor.Position p = assertInstanceOf(QueueActor.Position.class, positions.receiveMessage(WAIT));
    assertEquals(1, p.position());
    assertEquals(35, p.averageWaitSeconds());
    TestProbe<QueueStats> stats = kit.createTestProbe();
    clock.advance(Duration.ofSeconds(7));
    queue.tell(new QueueActor.GetStats(stats.ref()));
    QueueStats s = stats.receiveMessage(WAIT);
    assertEquals(1, s.currentSize());
    assertEquals(35, s.averageWaitSeconds());
    assertEquals(List.of(new QueueMember("CA4", 1, 7, clock.instant().minusSeconds(7))), s.members());
  }

  @Test
  void anEmptyQueueMakesTheDequeuerWaitThenTimesOut() {
    queue.tell(new QueueActor.DequeueFront("CAagent", Duration.ofSeconds(30), dequeues.ref()));
    time.timePasses(Duration.ofSeconds(29));
    dequeues.expectNoMessage(Duration.ofMillis(100));
    time.timePasses(Duration.ofSeconds(1));
    assertInstanceOf(QueueActor.NoMember.class, dequeues.receiveMessage(WAIT));
  }

  @Test
  void waitersAreServedFifoWhenCallersJoin() {
    TestProbe<QueueActor.DequeueReply> second = kit.createTestProbe();
    queue.tell(new QueueActor.DequeueFront("CAa", Duration.ofSeconds(30), dequeues.ref()));
    queue.tell(new QueueActor.DequeueFront("CAb", Duration.ofSeconds(30), second.ref()));
    join("CA1", OptionalInt.empty());
    assertEquals("CA1", assertInstanceOf(QueueActor.Dequeued.class, dequeues.receiveMessage(WAIT)).member().callSid());
    second.expectNoMessage(Duration.ofMillis(100));
    join("CA2", OptionalInt.empty());
    assertEquals("CA2", assertInstanceOf(QueueActor.Dequeued.class, second.receiveMessage(WAIT)).member().callSid());
    time.timePasses(Duration.ofSeconds(31));
    dequeues.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aRequeuedMemberGoesBackToTheFront() {
    join("CA1", OptionalInt.empty());
    join("CA2", OptionalInt.empty());
    queue.tell(new QueueActor.DequeueFront("CAa", Duration.ofSeconds(30), dequeues.ref()));
    QueueActor.Dequeued d = assertInstanceOf(QueueActor.Dequeued.class, dequeues.receiveMessage(WAIT));
    queue.tell(new QueueActor.Requeue(d.member()));
    TestProbe<QueueActor.PositionReply> positions = kit.createTestProbe();
    queue.tell(new QueueActor.GetPosition("CA1", positions.ref()));
    assertEquals(1, assertInstanceOf(QueueActor.Position.class, positions.receiveMessage(WAIT)).position());
  }
}
