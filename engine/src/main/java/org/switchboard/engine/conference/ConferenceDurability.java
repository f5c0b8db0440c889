package org.switchboard.engine.conference;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.durable.DurableSlot;

/**
 * Where a room keeps its running conference ({@link ConferenceRecord}): the {@link DurableSlot}
 * {@code Conference|<room name>}, a child of the room's {@link ConferenceActor}. A conference's
 * boundaries replace the row ({@link #keep}), its end deletes it ({@link #forget}); a room that
 * starts reads it once ({@link #load}) before it serves anyone, so a conference of an earlier
 * incarnation of the node is taken back rather than opened anew. Each conference gets a slot of
 * its own (a child named after a counter), as the one {@link #forget} stops may still be stopping
 * when the next conference opens. Nothing is kept in memory mode. Used inside the room's actor.
 */
final class ConferenceDurability {
  /** The persistence id kind (and tag) of a conference's state: {@code Conference|<room>}. */
  static final String KIND = "Conference";

  /** How long a room waits for the store's answer when it starts. */
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(20);

  private final ActorContext<ConferenceActor.Command> ctx;
  private final String name;
  private final boolean durable;
  private Optional<ActorRef<DurableSlot.Command>> slot = Optional.empty();
  private int opened;

  ConferenceDurability(ActorContext<ConferenceActor.Command> ctx, String name) {
    this.ctx = ctx;
    this.name = name;
    this.durable = !DurableSlot.pluginId(ctx.getSystem()).isEmpty();
  }

  /** Whether conferences are kept (a durable store). */
  boolean durable() {
    return durable;
  }

  /**
   * Reads the room's stored conference and tells the room {@code reply} of it (empty when there is
   * none or the store could not answer: the room then starts empty, as in memory mode).
   */
  void load(Function<Optional<ConferenceRecord>, ConferenceActor.Command> reply) {
    ctx.ask(DurableSlot.Loaded.class, current().orElseThrow(), LOAD_TIMEOUT,
        DurableSlot.Get::new, (loaded, error) -> {
          if (error != null) {
            ctx.getLog().error("conference {}: the store could not say whether a conference runs"
                + " here ({}); the room starts empty", name, error.toString());
            return reply.apply(Optional.empty());
          }
          return reply.apply(loaded.value().filter(ConferenceRecord.class::isInstance)
              .map(ConferenceRecord.class::cast));
        });
  }

  /** The conference crossed a boundary: {@code record} replaces the stored one. */
  void keep(ConferenceRecord record) {
    current().ifPresent(s -> s.tell(new DurableSlot.Save(record)));
  }

  /** The conference ended: its row goes. */
  void forget() {
    slot.ifPresent(s -> s.tell(new DurableSlot.Forget()));
    slot = Optional.empty();
  }

  private Optional<ActorRef<DurableSlot.Command>> current() {
    if (slot.isEmpty() && durable) {
      slot = DurableSlot.open(ctx, KIND, name, "conference-state-" + (++opened));
    }
    return slot;
  }
}
