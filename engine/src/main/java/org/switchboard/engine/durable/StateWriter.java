package org.switchboard.engine.durable;

import java.util.Optional;

/**
 * Where the durable states of a node's live calls, dials, legs and rings are written (the node's
 * {@code store.DurableStateWriter} with a durable store, registered with {@link
 * StateWriters#use}). Writes are queued, never waited for; the latest operation of a persistence
 * id replaces a queued one.
 */
public interface StateWriter {
  /** Queues {@code value} as the state of {@code persistenceId}. */
  void save(String persistenceId, Object value, String tag, long revision);

  /**
   * Queues the deletion of {@code persistenceId}'s state; {@code mayExist} when an earlier
   * incarnation of the node may have written it.
   */
  void delete(String persistenceId, boolean mayExist);

  /**
   * What is queued for {@code persistenceId} and not yet committed: a value to save, an empty
   * optional for a deletion, or null when nothing is queued (the table has the truth).
   */
  Optional<Object> queuedValue(String persistenceId);

  /**
   * The committed states stored with {@code tag}, read once from the store: persistence id →
   * value (what is queued and not yet committed is not in it). Fails with {@link
   * UnsupportedOperationException} when this writer cannot read its store back; the caller then
   * asks the durable state plugin instead.
   */
  default java.util.concurrent.CompletionStage<java.util.Map<String, Object>> tagged(String tag) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this state writer does not list its states"));
  }
}
