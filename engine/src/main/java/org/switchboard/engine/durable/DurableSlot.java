package org.switchboard.engine.durable;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.Durable;

/**
 * One durable value of a live entity other than an inbound call's script (a dial's ring and bridge
 * state, an outbound leg's state), as Pekko Persistence durable state under persistence id {@code
 * <kind>|<id>}: {@link Save} replaces it, {@link Forget} deletes the row and stops, {@link Get}
 * answers it once recovered. A child of the actor whose state it keeps ({@link #open}), which never
 * waits for a write: a failed write restarts the slot with backoff and the next boundary writes
 * again. Nothing is kept in memory mode ({@link #open} answers empty).
 */
public final class DurableSlot extends DurableStateBehavior<DurableSlot.Command, DurableSlot.Stored> {
  private static final Logger LOG = LoggerFactory.getLogger(DurableSlot.class);

  /** What the owner tells its slot. */
  public sealed interface Command {}

  /** The owner crossed a boundary: {@code value} replaces the stored one. */
  public record Save(Durable value) implements Command {}

  /** The owner is over: the row goes, the slot stops. */
  public record Forget() implements Command {}

  /** Answers the stored value, if any, once recovered. */
  public record Get(ActorRef<Loaded> replyTo) implements Command {}

  /** Reply to {@link Get}. */
  public record Loaded(Optional<Durable> value) {}

  /** The persisted state: the owner's last value, or nothing. */
  public record Stored(Optional<Durable> value) implements Durable {}

  private static final Stored NONE = new Stored(Optional.empty());

  private final String pluginId;
  private final String tag;
  private final ActorSystem<?> system;

  private DurableSlot(PersistenceId id, String pluginId, ActorSystem<?> system) {
    super(id, SupervisorStrategy.restartWithBackoff(
        Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.pluginId = pluginId;
    this.tag = id.entityTypeHint();
    this.system = system;
  }

  /**
   * The slot {@code <kind>|<id>} of the actor {@code ctx}, its child {@code childName}: started
   * (recovering from the store) on first use, the same child afterwards; empty in memory mode.
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
    Behavior<Command> slot = Behaviors.setup(c -> new DurableSlot(
        PersistenceId.of(kind, id), plugin, c.getSystem()));
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

  @Override
  public String durableStateStorePluginId() {
    return pluginId;
  }

  @Override
  public String tag() {
    return tag;
  }

  @Override
  public Stored emptyState() {
    return NONE;
  }

  @Override
  public CommandHandler<Command, Stored> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Save.class, (state, save) ->
            Effect().persist(new Stored(Optional.of(save.value()))))
        .onCommand(Forget.class, (state, forget) -> forget(state))
        .onCommand(Get.class, (state, get) -> {
          get.replyTo().tell(new Loaded(state.value()));
          return Effect().none();
        })
        .build();
  }

  private Effect<Stored> forget(Stored state) {
    if (state.value().isEmpty()) {
      return Effect().stop();
    }
    return Effect().persist(NONE).thenRun(s -> delete()).thenStop();
  }

  /** The row of an ended entity goes: the store holds live ones only. */
  private void delete() {
    String id = persistenceId().id();
    try {
      DurableStateUpdateStore<?> store = DurableStateStoreRegistry.get(system)
          .getDurableStateStoreFor(DurableStateUpdateStore.class, pluginId);
      store.deleteObject(id).whenComplete((done, error) -> {
        if (error != null) {
          LOG.warn("{}: deleting the ended state failed: {}", id, error.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("{}: deleting the ended state failed: {}", id, e.toString());
    }
  }
}
