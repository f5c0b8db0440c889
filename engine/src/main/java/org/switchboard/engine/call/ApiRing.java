package org.switchboard.engine.call;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.engine.ring.RingGroup;
import org.switchboard.engine.ring.RingOutcome;

/**
 * Supervises the {@link RingGroup} of one API {@code /ring}: logs its outcome and stops when the
 * group has heard the last of its legs. The legs report nothing to the parent call: the winner
 * runs its answer URL as its own call.
 */
final class ApiRing {
  private ApiRing() {}

  static Behavior<RingOutcome> create(
      String parentCallSid, List<LegSpec> legs, Duration timeout, Duration drain,
      Function<String, RecipientRef<CallCommand>> entities) {
    return Behaviors.setup(ctx -> {
      ActorRef<RingGroup.Command> group =
          ctx.spawn(RingGroup.create(legs, false, timeout, drain, entities, ctx.getSelf()), "ring");
      ctx.watch(group);
      return Behaviors.receive(RingOutcome.class)
          .onMessage(RingOutcome.Answered.class, a -> {
            ctx.getLog().info("ring for {}: {} answered", parentCallSid, a.legCallSid());
            return Behaviors.same();
          })
          .onMessage(RingOutcome.Unanswered.class, u -> {
            ctx.getLog().info("ring for {}: nobody answered ({})", parentCallSid, u.status());
            return Behaviors.same();
          })
          .onMessage(RingOutcome.class, o -> Behaviors.same())
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .build();
    });
  }
}
