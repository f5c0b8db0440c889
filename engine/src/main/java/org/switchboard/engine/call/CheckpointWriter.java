package org.switchboard.engine.call;

import java.util.Optional;

/**
 * Where the call states of a node are written ({@code store.DurableStateWriter} with a durable
 * store; the node registers it with {@link CallCheckpoints#useWriter}). Writes are queued, never
 * waited for; the latest operation of a persistence id replaces a queued one.
 */
public interface CheckpointWriter {
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
}
