package org.switchboard.engine.hotline;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.RingGroup;
import org.switchboard.engine.ring.RingOutcome;

/**
 * Supervises the {@link RingGroup} of one API {@code /ring}: logs its outcome, cancels every
 * ringing leg when the parent call ends first (a caller who hangs up must not leave volunteers'
 * phones ringing), and stops when the group has heard the last of its legs. The legs report
 * nothing to the parent call: the winner runs its answer URL as its own call.
 *
 * <p>It learns that the parent ended from the parent's call entity itself, on whichever node that
 * runs ({@link CallCommand.WatchEnd} → {@link CallEnded}), and asks again every {@code
 * REWATCH}: a parent whose node died answers from its next incarnation.
 */
final class ApiRing {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRing.class);
  private static final Duration REWATCH = Duration.ofSeconds(5);

  private ApiRing() {}

  /** Timer key and message: ask the parent entity again to tell when it ends. */
  private enum Rewatch { TICK }

  static Behavior<Object> create(
      String parentCallSid, List<LegSpec> legs, Duration timeout, Duration drain,
      Function<String, RecipientRef<CallCommand>> entities) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<RingGroup.Command> group =
          ctx.spawn(
              RingGroup.create(legs, false, timeout, drain, entities, ctx.getSelf().narrow()),
              "ring");
      ctx.watch(group);
      RecipientRef<CallCommand> parent = entities.apply(parentCallSid);
      CallCommand.WatchEnd watch = new CallCommand.WatchEnd(ctx.getSelf().narrow());
      parent.tell(watch);
      timers.startTimerWithFixedDelay(Rewatch.TICK, Rewatch.TICK, REWATCH);
      return Behaviors.receive(Object.class)
          .onMessageEquals(Rewatch.TICK, () -> {
            parent.tell(watch);
            return Behaviors.same();
          })
          .onMessage(CallEnded.class, ended -> {
            timers.cancel(Rewatch.TICK);
            LOG.info("ring for {}: the caller is gone; cancelling the legs", parentCallSid);
            group.tell(new RingGroup.CancelAll(LegCancelCause.PARENT_HUNG_UP));
            return Behaviors.same();
          })
          .onMessage(RingOutcome.Answered.class, a -> {
            LOG.info("ring for {}: {} answered", parentCallSid, a.legCallSid());
            return Behaviors.same();
          })
          .onMessage(RingOutcome.Unanswered.class, u -> {
            LOG.info("ring for {}: nobody answered ({})", parentCallSid, u.status());
            return Behaviors.same();
          })
          .onMessage(RingOutcome.class, o -> Behaviors.same())
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .build();
    }));
  }
}
