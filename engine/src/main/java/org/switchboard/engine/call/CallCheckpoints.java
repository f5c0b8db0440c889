package org.switchboard.engine.call;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.switchboard.engine.durable.StateCell;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of one inbound call (a row of pekko-persistence-jdbc's durable state table,
 * persistence id {@code Call|<CallSid>}, tag {@value #TAG}), a plain object the call's entity owns
 * and uses from its actor only. {@link #save} replaces the call's {@link CallCheckpoint}, {@link
 * #forget} clears it when the call is over (the row is deleted; later saves are ignored), {@link
 * #load} answers it as stored. Durable state rather than event sourcing: a call is resumed from
 * where its script stands, never from its history, and one row per live call keeps recovery a
 * single read. Not an actor: it only hands rows to the node's writer, and a held call should not
 * pay for a second actor (docs/performance.md "Held calls").
 *
 * <p>Writes go to the node's {@link CheckpointWriter} ({@link #useWriter}): a map put, so
 * the call never waits; the writer coalesces a call's checkpoints (the latest wins while one is
 * being written) and writes every call's in one transaction per interval. Reads go through the
 * plugin ({@code getObject}), after what the writer still holds for the call. Nothing is read when
 * a call starts: only a call the store may know (after a restart) asks.
 */
public final class CallCheckpoints {

  /** The persisted state: a live call's checkpoint, or nothing. */
  public record Stored(Optional<CallCheckpoint> live) implements Durable {}

  /** The tag of every call's state, by which the store lists them ({@link StoredCalls}). */
  static final String TAG = "call";

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
  public static void useWriter(ActorSystem<?> system, CheckpointWriter writer) {
    CallStore.use(system, writer);
  }

  /** The tag of the script states of answered legs ({@code LegScript|<CallSid>}). */
  static final String LEG_TAG = "legscript";

  private final StateCell cell;
  /** Forgotten or discarded: the row is gone and nothing is written any more. */
  private boolean closed;

  private CallCheckpoints(StateCell cell) {
    this.cell = cell;
  }

  /** The checkpoints of {@code callSid} in the durable state store {@code pluginId}. */
  static CallCheckpoints of(String callSid, String pluginId, ActorSystem<?> system) {
    return new CallCheckpoints(new StateCell(persistenceId(callSid).id(), TAG, pluginId, system));
  }

  /**
   * The checkpoints of the TwiML an answered leg {@code callSid} runs ({@code LegScript|<CallSid>},
   * never listed as a call: the leg's own state brings it back).
   */
  static CallCheckpoints forLeg(String callSid, String pluginId, ActorSystem<?> system) {
    return new CallCheckpoints(
        new StateCell(PersistenceId.of("LegScript", callSid).id(), LEG_TAG, pluginId, system));
  }

  /** The call reached a verb boundary: {@code checkpoint} replaces the stored one. */
  void save(CallCheckpoint checkpoint) {
    if (!closed) {
      cell.save(new Stored(Optional.of(checkpoint)));
    }
  }

  /** The call is over: the stored checkpoint goes. */
  void forget() {
    if (!closed) {
      closed = true;
      cell.delete();
    }
  }

  /** The row an earlier incarnation may have written goes, unread. */
  void discard() {
    if (!closed) {
      closed = true;
      cell.deleteStored();
    }
  }

  /**
   * The stored checkpoint, if any, within {@code timeout}; a read that fails is no answer: it
   * fails with the timeout, or at once when the store cannot be asked at all (either way the path
   * of a store that could not be asked).
   */
  CompletionStage<Optional<CallCheckpoint>> load(Duration timeout) {
    CompletableFuture<Optional<CallCheckpoint>> loaded = new CompletableFuture<>();
    try {
      cell.read(row -> loaded.complete(row.flatMap(CallCheckpoints::live)));
    } catch (RuntimeException e) {
      loaded.completeExceptionally(e);
    }
    return loaded.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Optional<CallCheckpoint> live(Object row) {
    return row instanceof Stored stored ? stored.live() : Optional.empty();
  }
}
