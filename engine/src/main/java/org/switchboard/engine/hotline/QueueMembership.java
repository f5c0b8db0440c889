package org.switchboard.engine.hotline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.ClusterMessage;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.twiml.verb.QueueResult;
import org.switchboard.engine.twiml.verb.Enqueue;

/**
 * One call's time in a queue ({@code <Enqueue>}, HOTLINE.md §3), a child of the call actor. It
 * joins the {@link QueueActor}, tells the call its waitUrl parameters ({@link
 * CallCommand.QueueWaiting}, from one {@code GetPosition} on entry and one per {@link Refresh}:
 * only when the call is about to request its waitUrl again, so a waiting caller costs the queue
 * nothing while its wait document plays), and answers a
 * {@code <Dial><Queue>}: on {@link QueueNotice.Dequeued} it stops the wait loop ({@link
 * CallCommand.QueueDequeued}), plays the {@code <Queue url>} announcement if any ({@link
 * QueueAnnouncement}), then tells the dequeuer {@link QueueNotice.MemberReady}. The call's hangup
 * or redirect ({@link Stop}) becomes {@code Leave} while waiting and {@link
 * QueueNotice.MemberGone} once dequeued. {@link QueueNotice.BridgeEnded} ends it with {@link
 * CallCommand.QueueLeft} ({@code bridged}).
 */
public final class QueueMembership {
  private static final Logger LOG = LoggerFactory.getLogger(QueueMembership.class);

  /** Messages of a queue membership. */
  sealed interface Command {}

  /** The call leaves: {@code leave}, {@code hangup}, {@code redirected}, {@code error}…. */
  record Stop(String reason) implements Command {}

  /** An event of the call's channel (announcement playback, hangup). */
  record Event(ChannelEvent event) implements Command {}

  private record JoinResult(QueueActor.JoinReply reply) implements Command {}

  private record PositionResult(QueueActor.PositionReply reply) implements Command {}

  private record Notice(QueueNotice notice) implements Command {}

  /** The call's wait document ran out: tell it the current waitUrl parameters. */
  record Refresh() implements Command {}

  private record PositionTimeout() implements Command {}

  /** The {@code <Queue url>} announcement is over (played, failed or absent). */
  record AnnouncementDone() implements Command {}

  /** The {@code <Queue url>} announcement is playing. */
  record AnnouncementStarted() implements Command {}

  private record LeaveGraceOver() implements Command {}

  /** Something else from the queue than a notice or a reply: ignored in every state. */
  private record Unexpected(ClusterMessage message) implements Command {}

  /** How long a membership that left stays to answer a {@code Dequeued} already on its way. */
  private static final Duration LEAVE_GRACE = Duration.ofSeconds(2);

  /** How long the call waits for its position before its waitUrl goes on with the last one. */
  public static final Duration POSITION_TIMEOUT = Duration.ofSeconds(3);

  private enum TimerKey {
    POSITION,
    LEAVE_GRACE
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String callSid;
  private final ChannelRef channel;
  private final ActorRef<CallCommand> call;
  private final RecipientRef<QueueActor.Command> queue;
  private final QueueAnnouncement announcement;
  /** Where the queue's replies and notices come in: one adapter for the three kinds. */
  private final ActorRef<ClusterMessage> fromQueue;
  private Map<String, String> lastParams = Map.of();
  /** The last {@code Joined}: its incarnation tells a restarted queue, its time the place. */
  private Optional<QueueActor.Joined> joined = Optional.empty();
  private OptionalInt maxSize = OptionalInt.empty();

  private QueueMembership(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      CallDelegates.Context call,
      RecipientRef<QueueActor.Command> queue,
      QueueAnnouncement.Factory announcements) {
    this.ctx = ctx;
    this.timers = timers;
    this.callSid = call.callSid();
    this.channel = call.channel();
    this.call = call.call();
    this.queue = queue;
    this.announcement = announcements.create(ctx, call);
    this.fromQueue = ctx.messageAdapter(ClusterMessage.class, QueueMembership::adapt);
  }

  /** Joins {@code queue} for the call of {@code context}. */
  static Behavior<Command> create(
      CallDelegates.Context context,
      Enqueue enqueue,
      RecipientRef<QueueActor.Command> queue,
      QueueAnnouncement.Factory announcements) {
    return create(context, enqueue, java.util.Optional.empty(), queue, announcements);
  }

  /**
   * Joins {@code queue} for the call of {@code context}; with {@code enqueuedAt} (a call resumed
   * after a restart) at the place a join at that time gives ({@link QueueActor.Rejoin}).
   */
  static Behavior<Command> create(
      CallDelegates.Context context,
      Enqueue enqueue,
      java.util.Optional<java.time.Instant> enqueuedAt,
      RecipientRef<QueueActor.Command> queue,
      QueueAnnouncement.Factory announcements) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new QueueMembership(ctx, timers, context, queue, announcements)
                        .join(enqueue.maxQueueSize(), enqueuedAt)));
  }

  /** The delegation the call holds: stop, refresh and events go to {@code membership}. */
  static Delegation delegation(ActorRef<Command> membership) {
    return new Delegation() {
      @Override
      public void stop(String reason) {
        membership.tell(new Stop(reason));
      }

      @Override
      public void refresh() {
        membership.tell(new Refresh());
      }

      @Override
      public void onEvent(ChannelEvent event) {
        membership.tell(new Event(event));
      }
    };
  }

  private Behavior<Command> join(OptionalInt maxSize, java.util.Optional<java.time.Instant> at) {
    this.maxSize = maxSize;
    QueueActor.Join join =
        new QueueActor.Join(callSid, channel, fromQueue.narrow(), maxSize, fromQueue.narrow());
    queue.tell(at.<QueueActor.Command>map(time -> new QueueActor.Rejoin(join, time)).orElse(join));
    return Behaviors.receive(Command.class)
        .onMessage(JoinResult.class, this::onJoinResult)
        .onMessage(Stop.class, this::leave)
        .onMessage(Command.class, m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onJoinResult(JoinResult result) {
    if (result.reply() instanceof QueueActor.Full full) {
      LOG.info("{}: queue full ({} of {})", callSid, full.size(), full.maxSize());
      call.tell(new CallCommand.QueueLeft(QueueResult.QUEUE_FULL.wire(), Map.of("QueueSid", full.queueSid(), "QueueTime", "0")));
      return Behaviors.stopped();
    }
    if (result.reply() instanceof QueueActor.Joined j) {
      joined = Optional.of(j);
    }
    askPosition();
    return waiting();
  }

  /**
   * In the queue: asks for the position only on {@link Refresh} (POSITION guards the answer) and
   * waits for {@link QueueNotice.Dequeued} or {@link Stop}.
   */
  private Behavior<Command> waiting() {
    return Behaviors.receiveMessage(this::onWaiting);
  }

  /**
   * One message while in the queue: a single dispatch rather than a receive builder, whose cases
   * every held caller would keep for the whole wait (docs/performance.md "Held calls").
   */
  private Behavior<Command> onWaiting(Command message) {
    if (message instanceof Refresh) {
      return askPosition();
    } else if (message instanceof PositionResult result) {
      return onPosition(result);
    } else if (message instanceof PositionTimeout) {
      return onPositionTimeout();
    } else if (message instanceof Notice notice) {
      return onWaitingNotice(notice);
    } else if (message instanceof Stop stop) {
      return leave(stop);
    }
    return Behaviors.same();
  }

  private Behavior<Command> askPosition() {
    queue.tell(new QueueActor.GetPosition(callSid, fromQueue.narrow()));
    timers.startSingleTimer(TimerKey.POSITION, new PositionTimeout(), POSITION_TIMEOUT);
    return Behaviors.same();
  }

  private Behavior<Command> onPosition(PositionResult result) {
    timers.cancel(TimerKey.POSITION);
    if (result.reply() instanceof QueueActor.Position p) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("QueuePosition", Integer.toString(p.position()));
      params.put("QueueSid", p.queueSid());
      params.put("QueueTime", Integer.toString(p.queueTimeSeconds()));
      params.put("AvgQueueTime", Integer.toString(p.averageWaitSeconds()));
      params.put("CurrentQueueSize", Integer.toString(p.size()));
      params.put("MaxQueueSize", Integer.toString(p.maxSize()));
      lastParams = Map.copyOf(params);
    } else if (result.reply() instanceof QueueActor.NotQueued gone && joined.isPresent()
        && !joined.get().incarnation().isEmpty()
        && !joined.get().incarnation().equals(gone.incarnation())) {
      // The queue started again (its node died) and forgot its members: back at our place.
      LOG.info("{}: queue {} started again without it; rejoining at {}", callSid,
          gone.queueSid(), joined.get().enqueuedAt());
      return join(maxSize, Optional.of(joined.get().enqueuedAt()));
    } else {
      // Leaving or being dequeued: the notice follows; until then the wait loop goes on.
      LOG.debug("{} not in its queue when asked; last waitUrl parameters kept", callSid);
    }
    call.tell(new CallCommand.QueueWaiting(lastParams));
    return Behaviors.same();
  }

  private Behavior<Command> onPositionTimeout() {
    LOG.warn("{}: queue did not tell the position in {}; last waitUrl parameters kept",
        callSid, POSITION_TIMEOUT);
    call.tell(new CallCommand.QueueWaiting(lastParams));
    return Behaviors.same();
  }

  private Behavior<Command> onWaitingNotice(Notice notice) {
    if (!(notice.notice() instanceof QueueNotice.Dequeued d)) {
      return Behaviors.same();
    }
    timers.cancel(TimerKey.POSITION);
    LOG.debug("{} dequeued by {}", callSid, d.dequeuerCallSid());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("QueueSid", d.queueSid());
    params.put("QueueTime", Integer.toString(d.queueTimeSeconds()));
    params.put("DequeingCallSid", d.dequeuerCallSid());
    call.tell(new CallCommand.QueueDequeued(Map.copyOf(params)));
    if (d.url().isEmpty()) {
      return ready(d);
    }
    announcement.start(d, ctx.getSelf());
    return announcing(d);
  }

  /** Playing the {@code <Queue url>} announcement; then {@link QueueNotice.MemberReady}. */
  private Behavior<Command> announcing(QueueNotice.Dequeued d) {
    return Behaviors.receive(Command.class)
        .onMessage(AnnouncementDone.class, m -> {
          // Over, or failed: a play whose answer was lost must not start over the bridge.
          announcement.stop();
          return ready(d);
        })
        .onMessage(Event.class, e -> {
          announcement.onEvent(e.event());
          return Behaviors.same();
        })
        .onMessage(Notice.class, n -> onDequeuedNotice(d, n.notice()))
        .onMessage(Stop.class, s -> gone(d, s))
        .onMessage(Command.class, m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> ready(QueueNotice.Dequeued d) {
    d.session().tell(new QueueNotice.MemberReady(callSid, channel));
    return Behaviors.receive(Command.class)
        .onMessage(Notice.class, n -> onDequeuedNotice(d, n.notice()))
        .onMessage(Stop.class, s -> gone(d, s))
        .onMessage(Command.class, m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onDequeuedNotice(QueueNotice.Dequeued d, QueueNotice notice) {
    if (notice instanceof QueueNotice.DequeueAborted) {
      LOG.info("{}: dequeue by {} aborted; waiting again", callSid, d.dequeuerCallSid());
      announcement.stop();
      askPosition();
      return waiting();
    }
    if (notice instanceof QueueNotice.BridgeEnded ended) {
      call.tell(new CallCommand.QueueLeft(ended.queueResult(), ended.actionParams()));
      return Behaviors.stopped();
    }
    return Behaviors.same();
  }

  private Behavior<Command> gone(QueueNotice.Dequeued d, Stop stop) {
    LOG.debug("{} gone after dequeue ({})", callSid, stop.reason());
    announcement.stop();
    d.session().tell(new QueueNotice.MemberGone(callSid));
    return Behaviors.stopped();
  }

  private Behavior<Command> leave(Stop stop) {
    QueueActor.LeaveReason reason =
        QueueResult.HANGUP.wire().equals(stop.reason())
            ? QueueActor.LeaveReason.HANGUP
            : QueueResult.REDIRECTED.wire().equals(stop.reason())
                ? QueueActor.LeaveReason.REDIRECTED
                : QueueActor.LeaveReason.LEAVE;
    queue.tell(new QueueActor.Leave(callSid, reason));
    timers.cancel(TimerKey.POSITION);
    timers.startSingleTimer(TimerKey.LEAVE_GRACE, new LeaveGraceOver(), LEAVE_GRACE);
    return Behaviors.receive(Command.class)
        .onMessage(Notice.class, n -> {
          if (n.notice() instanceof QueueNotice.Dequeued d) {
            d.session().tell(new QueueNotice.MemberGone(callSid));
          }
          return Behaviors.same();
        })
        .onMessage(LeaveGraceOver.class, m -> Behaviors.stopped())
        .onMessage(Command.class, m -> Behaviors.same())
        .build();
  }

  /**
   * A notice or reply of the queue as the membership's message. One adapter rather than one per
   * kind: each adapter is kept by the membership's actor for as long as the caller waits.
   */
  private static Command adapt(ClusterMessage message) {
    if (message instanceof QueueNotice notice) {
      return new Notice(notice);
    } else if (message instanceof QueueActor.JoinReply reply) {
      return new JoinResult(reply);
    } else if (message instanceof QueueActor.PositionReply reply) {
      return new PositionResult(reply);
    }
    return new Unexpected(message);
  }

  static Optional<String> param(CallDelegates.Context context, String name) {
    return context.callParams().stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }
}
