package org.switchboard.engine.call;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.switchboard.engine.durable.StateCell;
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

  /** What the call tells its checkpoints. */
  public sealed interface Command {}

  /** The call reached a verb boundary: {@code checkpoint} replaces the stored one. */
  public record Save(CallCheckpoint checkpoint) implements Command {}

  /** The call is over: the stored checkpoint goes, the actor stops. */
  public record Forget() implements Command {}

  /** The row an earlier incarnation may have written goes, unread; the actor stops. */
  public record Discard() implements Command {}

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

  /** The tag of the script states of answered legs ({@code LegScript|<CallSid>}). */
  static final String LEG_TAG = "legscript";

  /** The checkpoints of {@code callSid} in the durable state store {@code pluginId}. */
  static Behavior<Command> create(String callSid, String pluginId) {
    return create(persistenceId(callSid), TAG, pluginId);
  }

  /**
   * The checkpoints of the TwiML an answered leg {@code callSid} runs ({@code LegScript|<CallSid>},
   * never listed as a call: the leg's own state brings it back).
   */
  static Behavior<Command> createForLeg(String callSid, String pluginId) {
    return create(PersistenceId.of("LegScript", callSid), LEG_TAG, pluginId);
  }

  private static Behavior<Command> create(PersistenceId id, String tag, String pluginId) {
    return Behaviors.setup(ctx -> {
      StateCell cell = new StateCell(id.id(), tag, pluginId, ctx.getSystem());
      return Behaviors.receive(Command.class)
          .onMessage(Save.class, save -> {
            cell.save(new Stored(Optional.of(save.checkpoint())));
            return Behaviors.same();
          })
          .onMessage(Forget.class, forget -> {
            cell.delete();
            return Behaviors.stopped();
          })
          .onMessage(Discard.class, discard -> {
            cell.deleteStored();
            return Behaviors.stopped();
          })
          .onMessage(Get.class, get -> {
            cell.read(row -> get.replyTo().tell(new Loaded(row.flatMap(CallCheckpoints::live))));
            return Behaviors.same();
          })
          .build();
    });
  }

  private static Optional<CallCheckpoint> live(Object row) {
    return row instanceof Stored stored ? stored.live() : Optional.empty();
  }
}
