package org.switchboard.engine.call;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of one inbound call (a row of pekko-persistence-jdbc's durable state table,
 * persistence id {@code Call|<CallSid>}, tag {@value #TAG}), a child of the call's entity. {@link
 * Save} replaces the call's {@link CallCheckpoint}, {@link Forget} clears it when the call is over
 * (the row is deleted and the actor stops), {@link Get} answers it as stored. Durable state rather
 * than event sourcing: a call is resumed from where its script stands, never from its history,
 * and one row per live call keeps recovery a single read.
 *
 * <p>Writes go to the node's {@link CheckpointWriter} ({@link #useWriter}): a map put, so
 * the call never waits; the writer coalesces a call's checkpoints (the latest wins while one is
 * being written) and writes every call's in one transaction per interval. Reads go through the
 * plugin ({@code getObject}), after what the writer still holds for the call. Nothing is read when
 * a call starts: only a call the store may know (after a restart) asks.
 */
public final class CallCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(CallCheckpoints.class);

  /** What the call tells its checkpoints. */
  public sealed interface Command {}

  /** The call reached a verb boundary: {@code checkpoint} replaces the stored one. */
  public record Save(CallCheckpoint checkpoint) implements Command {}

  /** The call is over: the stored checkpoint goes, the actor stops. */
  public record Forget() implements Command {}

  /** Answers the stored checkpoint, if any. */
  public record Get(ActorRef<Loaded> replyTo) implements Command {}

  /** Reply to {@link Get}. */
  public record Loaded(Optional<CallCheckpoint> checkpoint) {}

  /** The persisted state: a live call's checkpoint, or nothing. */
  public record Stored(Optional<CallCheckpoint> live) implements Durable {}

  /** The tag of every call's state, by which the store lists them ({@link StoredCalls}). */
  static final String TAG = "call";

  private CallCheckpoints() {}

  /** The persistence id of {@code callSid}'s state. */
  public static PersistenceId persistenceId(String callSid) {
    return PersistenceId.of("Call", callSid);
  }

  /** The CallSid of the persistence id {@code persistenceId}. */
  static String callSidOf(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  /**
   * Makes {@code writer} (the node's {@code store.DurableStateWriter}) write the call states of
   * {@code system}; the node calls this before any call starts when its store is durable.
   */
  public static void useWriter(org.apache.pekko.actor.typed.ActorSystem<?> system,
      CheckpointWriter writer) {
    CallStore.use(system, writer);
  }

  /** The checkpoints of {@code callSid} in the durable state store {@code pluginId}. */
  static Behavior<Command> create(String callSid, String pluginId) {
    return Behaviors.setup(ctx -> new State(callSid, pluginId, CallStore.writer(ctx.getSystem()),
        ctx.getSystem()).behavior());
  }

  private static final class State {
    private final String id;
    private final String pluginId;
    private final CheckpointWriter writer;
    private final org.apache.pekko.actor.typed.ActorSystem<?> system;
    private long revision;
    /** Whether the store was read: a row of an earlier incarnation may then exist. */
    private boolean read;

    State(String callSid, String pluginId, CheckpointWriter writer,
        org.apache.pekko.actor.typed.ActorSystem<?> system) {
      this.id = persistenceId(callSid).id();
      this.pluginId = pluginId;
      this.writer = writer;
      this.system = system;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Save.class, save -> {
            writer.save(id, new Stored(Optional.of(save.checkpoint())), TAG, ++revision);
            return Behaviors.same();
          })
          .onMessage(Forget.class, forget -> {
            writer.delete(id, read);
            return Behaviors.stopped();
          })
          .onMessage(Get.class, this::onGet)
          .build();
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onGet(Get get) {
      read = true;
      Optional<Object> queued = writer.queuedValue(id);
      if (queued != null) {
        get.replyTo().tell(new Loaded(queued.flatMap(State::checkpoint)));
        return Behaviors.same();
      }
      DurableStateUpdateStore<Object> store = DurableStateStoreRegistry.get(system)
          .getDurableStateStoreFor(DurableStateUpdateStore.class, pluginId);
      // A failed read is no answer: the asker's timeout takes the path of a store that could not
      // be asked.
      store.getObject(id).whenComplete((result, error) -> {
        if (error != null) {
          LOG.warn("{}: reading the call's state failed: {}", id, error.toString());
        } else {
          get.replyTo().tell(new Loaded(result.value().flatMap(State::checkpoint)));
        }
      });
      return Behaviors.same();
    }

    private static Optional<CallCheckpoint> checkpoint(Object value) {
      return value instanceof Stored stored ? stored.live() : Optional.empty();
    }
  }
}
