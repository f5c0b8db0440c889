package org.switchboard.engine.ring;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.durable.LegSlot;

/**
 * Keeps an outbound leg's {@link LegRecord} in the store at its boundaries (originated, ringing,
 * answered) and deletes it with the leg's final report: a channel whose leg the store knows is not
 * an orphan after a restart (where: {@link LegSlot}), and its dial takes it back ({@code CallCommand.ResumeLeg}). Nothing is
 * kept in memory mode.
 */
public final class LegDurability {
  static final LegDurability NONE = new LegDurability(Optional.empty());

  private final Optional<ActorRef<DurableSlot.Command>> slot;

  private LegDurability(Optional<ActorRef<DurableSlot.Command>> slot) {
    this.slot = slot;
  }

  /** Keeps the state of the leg {@code callSid} run by {@code ctx}. */
  static <T> LegDurability of(ActorContext<T> ctx, String callSid) {
    return new LegDurability(LegSlot.open(ctx, callSid));
  }

  void save(LegRecord record) {
    slot.ifPresent(s -> s.tell(new DurableSlot.Save(record)));
  }

  void forget() {
    slot.ifPresent(s -> s.tell(new DurableSlot.Forget()));
  }
}
