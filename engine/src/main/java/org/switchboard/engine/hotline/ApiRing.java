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
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.RingGroup;
import org.switchboard.engine.ring.RingOutcome;

/**
 * Supervises the {@link RingGroup} of one API {@code /ring}: logs its outcome, cancels every
 * ringing leg when the parent call ends first (a caller who hangs up must not leave volunteers'
 * phones ringing), and stops when the group has heard the last of its legs. The legs report
 * nothing to the parent call: the winner runs its answer URL as its own call.
 */
final class ApiRing {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRing.class);
  private ApiRing() {}

  /** The parent call ended on this node while the legs may still ring. */
  record ParentEnded() {}

  static Behavior<Object> create(
      String parentCallSid, List<LegSpec> legs, Duration timeout, Duration drain,
      Function<String, RecipientRef<CallCommand>> entities, CallHistory history) {
    return Behaviors.setup(ctx -> {
      ActorRef<RingGroup.Command> group =
          ctx.spawn(
              RingGroup.create(legs, false, timeout, drain, entities, ctx.getSelf().narrow()),
              "ring");
      ctx.watch(group);
      ActorRef<Object> self = ctx.getSelf();
      java.util.function.Consumer<CallSnapshot> parentWatch =
          ended -> {
            if (ended.callSid().equals(parentCallSid)) {
              self.tell(new ParentEnded());
            }
          };
      history.addListener(parentWatch);
      if (history.find(parentCallSid).isPresent()) {
        self.tell(new ParentEnded());
      }
      return Behaviors.receive(Object.class)
          .onMessage(ParentEnded.class, p -> {
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
          .onSignal(Terminated.class, t -> {
            history.removeListener(parentWatch);
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
