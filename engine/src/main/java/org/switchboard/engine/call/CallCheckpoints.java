package org.switchboard.engine.call;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of one inbound call (Pekko Persistence durable state, persistence id {@code
 * Call|<CallSid>}), a child of the call's entity. It holds the call's last {@link CallCheckpoint}:
 * {@link Save} replaces it, {@link Forget} clears it when the call is over (the row is then
 * deleted and the actor stops), {@link Get} answers it once recovered from the store. Durable
 * state rather than event sourcing: a call is resumed from where its script stands, never from
 * its history, and one row per live call keeps recovery a single read.
 */
public final class CallCheckpoints
    extends DurableStateBehavior<CallCheckpoints.Command, CallCheckpoints.Stored> {
  private static final Logger LOG = LoggerFactory.getLogger(CallCheckpoints.class);

  /** What the call tells its checkpoints. */
  public sealed interface Command {}

  /** The call reached a verb boundary: {@code checkpoint} replaces the stored one. */
  public record Save(CallCheckpoint checkpoint) implements Command {}

  /** The call is over: the stored checkpoint goes, the actor stops. */
  public record Forget() implements Command {}

  /** Answers the stored checkpoint, if any, once the state is recovered. */
  public record Get(ActorRef<Loaded> replyTo) implements Command {}

  /** Reply to {@link Get}. */
  public record Loaded(Optional<CallCheckpoint> checkpoint) {}

  /** The persisted state: a live call's checkpoint, or nothing. */
  public record Stored(Optional<CallCheckpoint> live) implements Durable {}

  private static final Stored NONE = new Stored(Optional.empty());

  /** The tag of every call's state, by which the store lists them ({@link StoredCalls}). */
  static final String TAG = "call";

  private final String pluginId;
  private final org.apache.pekko.actor.typed.ActorSystem<?> system;

  private CallCheckpoints(
      String callSid, String pluginId, org.apache.pekko.actor.typed.ActorSystem<?> system) {
    // A write that fails restarts the actor (after a backoff): it reads the store again and the
    // call's next checkpoint is written; the call itself never waits for the store.
    super(persistenceId(callSid), SupervisorStrategy.restartWithBackoff(
        Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.pluginId = pluginId;
    this.system = system;
  }

  /** The persistence id of {@code callSid}'s state. */
  public static PersistenceId persistenceId(String callSid) {
    return PersistenceId.of("Call", callSid);
  }

  /** The CallSid of the persistence id {@code persistenceId}. */
  static String callSidOf(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  /** The checkpoints of {@code callSid} in the durable state store {@code pluginId}. */
  static Behavior<Command> create(String callSid, String pluginId) {
    return Behaviors.setup(ctx -> new CallCheckpoints(callSid, pluginId, ctx.getSystem()));
  }

  @Override
  public String durableStateStorePluginId() {
    return pluginId;
  }

  @Override
  public String tag() {
    return TAG;
  }

  @Override
  public Stored emptyState() {
    return NONE;
  }

  @Override
  public CommandHandler<Command, Stored> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Save.class, (state, save) -> Effect().persist(new Stored(Optional.of(save.checkpoint()))))
        .onCommand(Forget.class, (state, forget) -> forget(state))
        .onCommand(Get.class, (state, get) -> {
          get.replyTo().tell(new Loaded(state.live()));
          return Effect().none();
        })
        .build();
  }

  private org.apache.pekko.persistence.typed.state.javadsl.Effect<Stored> forget(Stored state) {
    if (state.live().isEmpty()) {
      return Effect().stop();
    }
    return Effect().persist(NONE).thenRun(s -> delete()).thenStop();
  }

  /** The row of an ended call goes: the store holds live calls only. */
  private void delete() {
    String id = persistenceId().id();
    try {
      DurableStateUpdateStore<?> store = DurableStateStoreRegistry.get(system)
          .getDurableStateStoreFor(DurableStateUpdateStore.class, pluginId);
      store.deleteObject(id).whenComplete((done, error) -> {
        if (error != null) {
          LOG.warn("{}: deleting the ended call's state failed: {}", id, error.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("{}: deleting the ended call's state failed: {}", id, e.toString());
    }
  }
}
