package org.switchboard.engine.call;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.NodeHandOver;

/**
 * Who waits for a call entity to end ({@link CallCommand.WatchEnd}, e.g. the ring of a {@code
 * /ring} that cancels its legs when the caller is gone), around whatever behaviour claimed the
 * entity. Once the entity is claimed (an inbound call or a leg runs) a watcher is kept and told
 * {@link CallEnded} when the entity stops; before that the unclaimed entity answers itself (there
 * is no call). The answer is a message, so the watcher may run on any node. An entity stopped
 * because its node hands its calls over ({@link NodeHandOver}) tells nobody: the call only moves,
 * and a watcher asks its next incarnation again.
 */
final class EndWatchers extends BehaviorInterceptor<CallCommand, CallCommand> {
  private final String callSid;
  /** Made on the first watcher: most calls have none. */
  private Set<ActorRef<CallEnded>> watchers;
  private boolean claimed;
  private boolean ended;

  EndWatchers(String callSid) {
    super(CallCommand.class);
    this.callSid = callSid;
  }

  /** A call or leg runs in the entity from now on. */
  void claimed() {
    claimed = true;
  }

  @Override
  public Behavior<CallCommand> aroundReceive(TypedActorContext<CallCommand> ctx,
      CallCommand message, ReceiveTarget<CallCommand> target) {
    if (claimed && message instanceof CallCommand.WatchEnd watch) {
      if (ended) {
        watch.watcher().tell(new CallEnded(callSid));
      } else {
        if (watchers == null) {
          watchers = new LinkedHashSet<>();
        }
        watchers.add(watch.watcher());
      }
      return Behaviors.same();
    }
    Behavior<CallCommand> next = target.apply(ctx, message);
    if (!Behavior.isAlive(next)) {
      tellEnded();
    }
    return next;
  }

  @Override
  public Behavior<CallCommand> aroundSignal(TypedActorContext<CallCommand> ctx, Signal signal,
      SignalTarget<CallCommand> target) {
    if (signal instanceof PostStop && !NodeHandOver.get(ctx.asJava().getSystem()).started()) {
      tellEnded();
    }
    return target.apply(ctx, signal);
  }

  private void tellEnded() {
    ended = true;
    if (watchers != null) {
      watchers.forEach(w -> w.tell(new CallEnded(callSid)));
      watchers = null;
    }
  }
}
