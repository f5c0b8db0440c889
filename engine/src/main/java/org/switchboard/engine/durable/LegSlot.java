package org.switchboard.engine.durable;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Where an outbound leg's state is kept: the {@link DurableSlot} {@code Leg|<CallSid>}, a child
 * {@value #CHILD} of the leg's entity. Shared by the leg that writes it ({@code
 * ring.LegDurability}) and the call entity that asks it whether a channel Asterisk lists is a leg
 * the store knows, so neither package depends on the other.
 */
public final class LegSlot {
  /** The persistence id kind of a leg's state: {@code Leg|<CallSid>}. */
  public static final String KIND = "Leg";
  /** The name of the slot's child actor in the leg's entity. */
  public static final String CHILD = "leg-state";

  private LegSlot() {}

  /** The state of the leg entity {@code callSid} run by {@code ctx}; empty in memory mode. */
  public static <T> Optional<ActorRef<DurableSlot.Command>> open(
      ActorContext<T> ctx, String callSid) {
    return DurableSlot.open(ctx, KIND, callSid, CHILD);
  }
}
