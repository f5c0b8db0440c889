package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.hotline.ConferenceRooms;
import org.switchboard.engine.hotline.HotlineDelegates;
import org.switchboard.engine.hotline.QueueMembership;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.queue.MutableClock;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueSettings;
import org.switchboard.engine.ring.DialContext;
import org.switchboard.engine.ring.DialPlan;
import org.switchboard.engine.ring.LegSettings;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * Queued callers ask their queue for the position only when the waitUrl is requested again: a
 * long wait document costs no asks, and the next request carries the position as it is then.
 */
class QueueWaitRefreshTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  private static final String ENQUEUE =
      "<Response><Enqueue waitUrl=\"/wait\">support</Enqueue></Response>";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void waitUrlCarriesTheCurrentPositionAndNothingIsAskedWhileTheWaitDocumentRuns() {
    TestProbe<QueueActor.Command> seen = kit.createTestProbe();
    ActorRef<QueueActor.Command> queue = kit.spawn(Behaviors.monitor(QueueActor.Command.class,
        seen.ref(), QueueActor.create("support", new QueueSettings(1000, 100, clock))));
    CallFixture f = new CallFixture(kit);
    f.web.twiml(APP + "/voice", ENQUEUE);
    f.web.twiml(APP + "/wait", "<Response><Pause length=\"3600\"/></Response>");
    CallServices services = withQueue(f, queue);

    ActorRef<CallCommand> a = start(services, "q-a");
    assertEquals("1", waitRequest(f).param("QueuePosition"));
    ActorRef<CallCommand> b = start(services, "q-b");
    assertEquals("2", waitRequest(f).param("QueuePosition"));
    start(services, "q-c");
    FakeWebhookPort.Seen first = waitRequest(f);
    assertEquals("3", first.param("QueuePosition"));
    assertEquals("3", first.param("CurrentQueueSize"));
    for (int i = 0; i < 3; i++) {
      seen.expectMessageClass(QueueActor.Join.class);
      seen.expectMessageClass(QueueActor.GetPosition.class);
    }

    time.expectNoMessageFor(Duration.ofMinutes(50), seen);
    hangUp(f, a, "q-a");
    hangUp(f, b, "q-b");
    seen.expectMessageClass(QueueActor.Leave.class);
    seen.expectMessageClass(QueueActor.Leave.class);
    time.expectNoMessageFor(Duration.ofMinutes(9), seen);

    clock.advance(Duration.ofHours(1));
    time.timePasses(Duration.ofMinutes(1));
    assertEquals(sidOf("q-c"), seen.expectMessageClass(QueueActor.GetPosition.class).callSid());
    FakeWebhookPort.Seen again = waitRequest(f);
    assertEquals(sidOf("q-c"), again.param("CallSid"));
    assertEquals("1", again.param("QueuePosition"));
    assertEquals("1", again.param("CurrentQueueSize"));
    assertEquals("3600", again.param("QueueTime"));
    assertEquals("0", again.param("AvgQueueTime"));
    assertEquals(first.param("QueueSid"), again.param("QueueSid"));
  }

  @Test
  void aQueueThatDoesNotAnswerLeavesTheWaitLoopOnTheLastPosition() {
    Queued q = queuedOnAProbe("q-d");
    TestProbe<QueueActor.Command> queue = q.queue();
    CallFixture f = q.f();
    ActorRef<CallCommand> call = q.call();
    QueueActor.Join join = q.join();
    join.replyTo().tell(new QueueActor.Joined("QU1", 4, 4, 1000));
    queue.expectMessageClass(QueueActor.GetPosition.class).replyTo()
        .tell(new QueueActor.Position("QU1", 4, 4, 1000, 0, 30));
    assertEquals("4", waitRequest(f).param("QueuePosition"));

    time.timePasses(Duration.ofSeconds(60));
    queue.expectMessageClass(QueueActor.GetPosition.class);
    time.timePasses(QueueMembership.POSITION_TIMEOUT);
    FakeWebhookPort.Seen again = waitRequest(f);
    assertEquals("4", again.param("QueuePosition"));
    assertEquals("30", again.param("AvgQueueTime"));
    kit.stop(call);
  }

  /**
   * The queue's node died and the queue started again elsewhere, without its members: the caller
   * learns it from a NotQueued of another incarnation at its next wait-loop turn and joins again
   * at the time of its first join; a NotQueued of the same incarnation (it was just dequeued or
   * left) asks nothing more.
   */
  @Test
  void aCallerWhoseQueueStartedAgainJoinsItAgainAtItsFirstPlace() {
    Queued q = queuedOnAProbe("q-e");
    TestProbe<QueueActor.Command> queue = q.queue();
    CallFixture f = q.f();
    Instant joinedAt = Instant.parse("2026-01-01T00:00:00Z");
    QueueActor.Join join = q.join();
    join.replyTo().tell(new QueueActor.Joined("QU1", 2, 2, 1000, joinedAt, "first"));
    queue.expectMessageClass(QueueActor.GetPosition.class).replyTo()
        .tell(new QueueActor.Position("QU1", 2, 2, 1000, 0, 0));
    assertEquals("2", waitRequest(f).param("QueuePosition"));

    time.timePasses(Duration.ofSeconds(60));
    queue.expectMessageClass(QueueActor.GetPosition.class).replyTo()
        .tell(new QueueActor.NotQueued("QU1", "second"));
    QueueActor.Rejoin rejoin = queue.expectMessageClass(QueueActor.Rejoin.class);
    assertEquals(joinedAt, rejoin.enqueuedAt());
    assertEquals(sidOf("q-e"), rejoin.join().callSid());
    rejoin.join().replyTo().tell(new QueueActor.Joined("QU1", 2, 2, 1000, joinedAt, "second"));
    queue.expectMessageClass(QueueActor.GetPosition.class).replyTo()
        .tell(new QueueActor.Position("QU1", 2, 2, 1000, 60, 0));
    FakeWebhookPort.Seen back = waitRequest(f);
    assertEquals("2", back.param("QueuePosition"));
    assertEquals("60", back.param("QueueTime"));

    time.timePasses(Duration.ofSeconds(60));
    queue.expectMessageClass(QueueActor.GetPosition.class).replyTo()
        .tell(new QueueActor.NotQueued("QU1", "second"));
    assertEquals("2", waitRequest(f).param("QueuePosition"));
    queue.expectNoMessage(Duration.ofMillis(100));
    kit.stop(q.call());
  }

  /** A caller of {@code channel} in a queue played by a probe, waiting 60 s per wait loop. */
  private record Queued(TestProbe<QueueActor.Command> queue, CallFixture f,
      ActorRef<CallCommand> call, QueueActor.Join join) {}

  private Queued queuedOnAProbe(String channel) {
    TestProbe<QueueActor.Command> queue = kit.createTestProbe();
    CallFixture f = new CallFixture(kit);
    f.web.twiml(APP + "/voice", ENQUEUE);
    f.web.twiml(APP + "/wait", "<Response><Pause length=\"60\"/></Response>");
    ActorRef<CallCommand> call = start(withQueue(f, queue.ref()), channel);
    return new Queued(queue, f, call, queue.expectMessageClass(QueueActor.Join.class));
  }

  private CallServices withQueue(CallFixture f, RecipientRef<QueueActor.Command> queue) {
    DialContext dials = new DialContext(f.ari, f.web,
        new DialPlan("PJSIP/{number}@trunk", "trunk", "PJSIP/{identity}", Map.of()),
        LegSettings.defaults("AC11111111111111111111111111111111", clock),
        sid -> { throw new AssertionError("no calls are dialled here"); }, name -> queue,
        sid -> URI.create("https://sb.test/recordings/" + sid));
    CallServices services = f.services();
    return services.withDelegates(new HotlineDelegates(dials, ConferenceRooms.NONE, services.tts(),
        services.media(), services.recordings(), CallDelegates.unsupported()));
  }

  private static ActorRef<CallCommand> start(CallServices services, String channel) {
    return kit.spawn(CallActor.create(sidOf(channel), CallFixture.stasisStart(channel), services,
        EntityEnd.STOP));
  }

  private static String sidOf(String channel) {
    return CallSid.forChannel(new ChannelRef(SERVER, channel));
  }

  /** The next waitUrl request; the initial /voice requests are skipped. */
  private static FakeWebhookPort.Seen waitRequest(CallFixture f) {
    while (true) {
      FakeWebhookPort.Seen s = f.web.nextFetch(WAIT);
      if (s.url().toString().equals(APP + "/wait")) {
        return s;
      }
    }
  }

  private static void hangUp(CallFixture f, ActorRef<CallCommand> call, String channel) {
    call.tell(new CallCommand.Deliver(
        new ChannelEvent.HangupRequested(SERVER, Instant.now(), channel, 16, false), f.acks.ref()));
    f.acks.expectMessageClass(org.apache.pekko.Done.class);
  }
}
