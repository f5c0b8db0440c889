package org.switchboard.engine.protocol;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * How an entity that reads its stored state before it runs again (a leg or a leg's TwiML taken
 * back after a restart) keeps what arrives meanwhile: an event is acknowledged at once (the
 * router must not wait for the store) and kept, unacknowledged, with every other command, until
 * the state is known; past the stash's capacity the rest is dropped.
 */
public final class Stashing {
  private Stashing() {}

  /** Keeps {@code command} in {@code stash} for the behaviour the entity becomes. */
  public static Behavior<CallCommand> keep(
      StashBuffer<CallCommand> stash, ActorContext<CallCommand> ctx, CallCommand command) {
    CallCommand kept = command;
    if (command instanceof CallCommand.Deliver d) {
      d.ack().tell(Done.getInstance());
      kept = new CallCommand.Deliver(d.event(), ctx.getSystem().ignoreRef());
    }
    if (!stash.isFull()) {
      stash.stash(kept);
    }
    return Behaviors.same();
  }
}
