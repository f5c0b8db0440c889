package org.switchboard.engine.durable;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.switchboard.engine.protocol.Durable;

/**
 * One durable value of a live entity other than an inbound call's script (a dial's ring and bridge
 * state, an outbound leg's state, an API ring), kept in the durable state table under persistence
 * id {@code <kind>|<id>} (tag {@code <kind>}): {@link Save} replaces it, {@link Forget} deletes
 * the row and stops, {@link Get} answers it. A child of the actor whose state it keeps ({@link
 * #open}), which never waits for a write: like a call's checkpoints it writes through the node's
 * batched {@link StateWriter} ({@link StateCell}), so a leg's three or so boundaries and its delete
 * cost the node a map put each, and a delete queued just before the entity passivates is kept.
 * Nothing is kept in memory mode ({@link #open} answers empty).
 */
public final class DurableSlot {

  /** What the owner tells its slot. */
  public sealed interface Command {}

  /** The owner crossed a boundary: {@code value} replaces the stored one. */
  public record Save(Durable value) implements Command {}

  /** The owner is over: the row goes, the slot stops. */
  public record Forget() implements Command {}

  /** Answers the stored value, if any. */
  public record Get(ActorRef<Loaded> replyTo) implements Command {}

  /** Reply to {@link Get}. */
  public record Loaded(Optional<Durable> value) {}

  /** The stored row: the owner's last value, or nothing. */
  public record Stored(Optional<Durable> value) implements Durable {}

  private DurableSlot() {}

  /**
   * The slot {@code <kind>|<id>} of the actor {@code ctx}, its child {@code childName}: started on
   * first use, the same child afterwards; empty in memory mode.
   */
  @SuppressWarnings("unchecked")
  public static <T> Optional<ActorRef<Command>> open(
      ActorContext<T> ctx, String kind, String id, String childName) {
    String plugin = pluginId(ctx.getSystem());
    if (plugin.isEmpty()) {
      return Optional.empty();
    }
    Optional<ActorRef<Void>> existing = ctx.getChild(childName);
    if (existing.isPresent()) {
      return Optional.of((ActorRef<Command>) (ActorRef<?>) existing.get());
    }
    String persistenceId = PersistenceId.of(kind, id).id();
    Behavior<Command> slot = Behaviors.setup(c -> running(
        new StateCell(persistenceId, kind, plugin, c.getSystem())));
    return Optional.of(ctx.spawn(slot, childName));
  }

  /**
   * The durable state store plugin of {@code system}, empty when nothing is kept ({@code
   * switchboard.store.kind = memory} or absent).
   */
  public static String pluginId(ActorSystem<?> system) {
    var config = system.settings().config();
    String kind = config.hasPath("switchboard.store.kind")
        ? config.getString("switchboard.store.kind") : "memory";
    if (kind.equals("memory") || !config.hasPath("pekko.persistence.state.plugin")) {
      return "";
    }
    return config.getString("pekko.persistence.state.plugin");
  }

  /** Saves, answers and, on {@link Forget}, deletes and stops. */
  private static Behavior<Command> running(StateCell cell) {
    return Behaviors.receive(Command.class)
        .onMessage(Save.class, save -> {
          cell.save(new Stored(Optional.of(save.value())));
          return Behaviors.same();
        })
        .onMessage(Forget.class, forget -> {
          // Always a real delete: the owner may be the resumed entity of an earlier incarnation's
          // row that this slot did not read itself (a leg or dial taken back), and a slot's owner
          // lives longer than a batch anyway, so the delete is seldom one the writer could skip.
          cell.deleteStored();
          return Behaviors.stopped();
        })
        .onMessage(Get.class, get -> {
          cell.read(row -> get.replyTo().tell(new Loaded(row
              .filter(Stored.class::isInstance).flatMap(r -> ((Stored) r).value()))));
          return Behaviors.same();
        })
        .build();
  }
}
