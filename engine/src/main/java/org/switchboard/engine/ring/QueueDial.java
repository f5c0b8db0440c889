package org.switchboard.engine.ring;

import java.time.Duration;
import java.time.Instant;
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
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.twiml.verb.DequeueResult;
import org.switchboard.engine.twiml.verb.Queue;

/**
 * The {@code <Dial><Queue>} part of a {@link DialSession}: takes the front caller of the queue
 * (waiting up to the dial timeout), hands it {@link QueueNotice.Dequeued}, waits for {@link
 * QueueNotice.MemberReady}, then bridges through {@link BridgeSession}. A member handed over to a
 * dequeuer that goes away is put back at the front ({@link QueueActor.Requeue}), never lost.
 */
final class QueueDial {
  private static final Logger LOG = LoggerFactory.getLogger(QueueDial.class);
  private static final String MEMBER_READY = "memberReady";
  private static final String CANCEL_GRACE = "cancelGrace";

  private final TimerScheduler<DialSession.Command> timers;
  private final DialSession session;
  private final Queue queue;
  private final RecipientRef<QueueActor.Command> queueRef;
  private final ActorRef<QueueActor.DequeueReply> replies;
  private final ActorRef<QueueNotice.MemberReply> memberReplies;
  private final Instant since;
  private final Instant deadline;
  private boolean cancelling;

  QueueDial(
      ActorContext<DialSession.Command> context,
      TimerScheduler<DialSession.Command> timers,
      DialSession session,
      Queue queue) {
    this(context, timers, session, queue, session.ctx().settings().clock().instant());
  }

  /** A dial that has waited for a caller since {@code since} (taken back after a restart). */
  QueueDial(
      ActorContext<DialSession.Command> context,
      TimerScheduler<DialSession.Command> timers,
      DialSession session,
      Queue queue,
      Instant since) {
    this.timers = timers;
    this.session = session;
    this.queue = queue;
    this.queueRef = session.ctx().queues().apply(queue.name());
    this.replies = context.messageAdapter(QueueActor.DequeueReply.class, DialSession.QueueReply::new);
    this.memberReplies = context.messageAdapter(QueueNotice.MemberReply.class, DialSession.Member::new);
    this.since = since;
    this.deadline = since.plusSeconds(session.dial().timeout());
  }

  /** Waits for a caller; the wait is kept in the store (a restart waits on). */
  Behavior<DialSession.Command> start() {
    session.queueWaiting(queue.name(), since);
    return ask();
  }

  private Behavior<DialSession.Command> ask() {
    Duration left = Duration.between(now(), deadline);
    if (left.isNegative() || left.isZero()) {
      return empty();
    }
    queueRef.tell(new QueueActor.DequeueFront(session.parent().callSid(), left, replies));
    return waiting();
  }

  /**
   * Waiting for the queue's {@link QueueActor.Dequeued} or {@link QueueActor.NoMember}; on the
   * parent's hangup or {@link DialSession.Cancel} withdraws and waits for the queue's answer
   * (CANCEL_GRACE guards it).
   */
  private Behavior<DialSession.Command> waiting() {
    return Behaviors.receive(DialSession.Command.class)
        .onMessage(DialSession.QueueReply.class, r -> onQueueReply(r.reply()))
        .onMessage(DialSession.ParentEvent.class, e -> session.isParentGone(e.event()) ? withdraw(true) : Behaviors.same())
        .onMessage(DialSession.Cancel.class, c -> withdraw(false))
        .onMessage(DialSession.Tick.class, t -> t.key().equals(CANCEL_GRACE) ? cancelled() : Behaviors.same())
        .onMessage(DialSession.Step.class, session::onStep)
        .build();
  }

  private Behavior<DialSession.Command> withdraw(boolean parentGone) {
    if (parentGone) {
      session.markParentGone();
    }
    if (!cancelling) {
      cancelling = true;
      queueRef.tell(new QueueActor.CancelDequeue(session.parent().callSid()));
      timers.startSingleTimer(CANCEL_GRACE, new DialSession.Tick(CANCEL_GRACE), session.ctx().settings().linger());
    }
    return Behaviors.same();
  }

  private Behavior<DialSession.Command> onQueueReply(QueueActor.DequeueReply reply) {
    if (reply instanceof QueueActor.Dequeued dequeued) {
      if (cancelling) {
        queueRef.tell(new QueueActor.Requeue(dequeued.member()));
        return cancelled();
      }
      QueueActor.Member member = dequeued.member();
      Optional<LegSpec.TwimlSource> url = queue.url().map(u -> new LegSpec.TwimlSource(u, queue.method()));
      member.notices()
          .tell(
              new QueueNotice.Dequeued(
                  dequeued.queueSid(), dequeued.queueName(), session.parent().callSid(), url,
                  dequeued.queueTimeSeconds(), memberReplies));
      session.dequeued(dequeued);
      timers.startSingleTimer(
          MEMBER_READY, new DialSession.Tick(MEMBER_READY), session.ctx().settings().memberReadyTimeout());
      return awaitingMember(dequeued);
    }
    return cancelling ? cancelled() : empty();
  }

  /**
   * The member was told it is dequeued; waits for {@link QueueNotice.MemberReady} or {@link
   * QueueNotice.MemberGone} (then the next member), MEMBER_READY, or the parent going away.
   */
  private Behavior<DialSession.Command> awaitingMember(QueueActor.Dequeued dequeued) {
    QueueActor.Member member = dequeued.member();
    return Behaviors.receive(DialSession.Command.class)
        .onMessage(DialSession.Member.class, m -> onMemberReply(dequeued, m.reply()))
        .onMessage(
            DialSession.ParentEvent.class,
            e -> {
              if (!session.isParentGone(e.event())) {
                return Behaviors.same();
              }
              session.markParentGone();
              return abort(dequeued, true);
            })
        .onMessage(DialSession.Cancel.class, c -> abort(dequeued, true))
        .onMessage(
            DialSession.Tick.class,
            t -> {
              if (!t.key().equals(MEMBER_READY)) {
                return Behaviors.same();
              }
              LOG.warn("{} dequeued member {} not ready in time", session.parent().callSid(), member.callSid());
              abort(dequeued, false);
              return waitAgain();
            })
        .onMessage(DialSession.Step.class, session::onStep)
        .build();
  }

  private Behavior<DialSession.Command> onMemberReply(QueueActor.Dequeued dequeued, QueueNotice.MemberReply reply) {
    if (!reply.callSid().equals(dequeued.member().callSid())) {
      return Behaviors.same();
    }
    timers.cancel(MEMBER_READY);
    if (reply instanceof QueueNotice.MemberReady ready) {
      session.stopRingback();
      BridgeSession.Peer peer = new BridgeSession.Peer(ready.callSid(), ready.channel(), false);
      BridgeSession.QueueInfo info =
          new BridgeSession.QueueInfo(dequeued.queueSid(), dequeued.queueName(), dequeued.member(), dequeued.queueTimeSeconds());
      return new BridgeSession(timers, session, peer, Optional.of(info)).start();
    }
    return waitAgain();
  }

  /**
   * The caller taken out of the queue did not come (it hung up, or was not ready in time): the
   * dial waits for the next one, and says so in the store, where the dequeue would otherwise stay
   * and send a restart to bridge a caller that left.
   */
  private Behavior<DialSession.Command> waitAgain() {
    session.queueWaiting(queue.name(), since);
    return ask();
  }

  /** Gives the member back to the queue (at the front) and, when {@code end}, ends the dial. */
  private Behavior<DialSession.Command> abort(QueueActor.Dequeued dequeued, boolean end) {
    dequeued.member().notices().tell(new QueueNotice.DequeueAborted(dequeued.queueSid()));
    queueRef.tell(new QueueActor.Requeue(dequeued.member()));
    return end ? cancelled() : Behaviors.same();
  }

  private Behavior<DialSession.Command> cancelled() {
    return session.finish(DialStatuses.CANCELED, Optional.empty());
  }

  private Behavior<DialSession.Command> empty() {
    session.stopRingback();
    String queueSid = QueueActor.queueSid(queue.name());
    return session.finish(
        new DialEnded(
            DialStatuses.NO_ANSWER, Optional.empty(), OptionalInt.empty(), false, session.parentGone(),
            Optional.empty(),
            Optional.of(new DialEnded.QueueDequeue(queueSid, DequeueResult.QUEUE_EMPTY.wire(), Optional.empty(), 0, 0))));
  }

  private Instant now() {
    return session.ctx().settings().clock().instant();
  }
}
