package org.switchboard.engine.ring;

import org.switchboard.engine.protocol.CallSnapshot;

/**
 * What a {@link LegActor} tells the node about its life, inside the actor: that it was answered
 * (it no longer counts as ringing) and its final snapshot (call history) when its final report
 * goes out.
 */
@FunctionalInterface
public interface LegObserver {
  /** Nothing to tell. */
  LegObserver NONE = snapshot -> {};

  /** The leg's final snapshot. */
  void ended(CallSnapshot snapshot);

  /** The leg answered; called at most once, before {@link #ended}. */
  default void answered() {}
}
