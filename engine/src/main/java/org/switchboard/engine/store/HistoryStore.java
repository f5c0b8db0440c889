package org.switchboard.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * The records the REST API serves after a call ended: the final snapshots of ended calls
 * ({@code Calls.json}), the recordings index ({@code Recordings.json}) and the last statistics of
 * queues ({@code Queues.json}). It is fed by the
 * node's {@link CallHistory} and {@link RecordingIndex} (their listeners) and by the REST API's
 * queue statistics ({@link #queuesSeen}), so a call or leg never
 * waits for it: a write is queued and done later, off the actor threads. Reads see every record
 * already handed to the store, written yet or not.
 *
 * <p>{@link MemoryHistoryStore} keeps the records in the node's memory ({@code
 * switchboard.store.kind = memory}); {@link JdbcHistoryStore} in H2 or PostgreSQL, where they
 * survive restarts and are the same on every node sharing the database.
 */
public interface HistoryStore extends AutoCloseable {

  /**
   * A query of ended calls, newest first (by start time). Empty filters match everything;
   * {@code to} and {@code from} compare E.164 forms.
   */
  record CallQuery(
      Optional<String> status,
      Optional<String> to,
      Optional<String> from,
      Optional<String> parentCallSid,
      TimeRange started,
      TimeRange ended) {
    /** Without time bounds. */
    public CallQuery(Optional<String> status, Optional<String> to, Optional<String> from,
        Optional<String> parentCallSid) {
      this(status, to, from, parentCallSid, TimeRange.ANY, TimeRange.ANY);
    }

    /** Every call. */
    public static CallQuery any() {
      return new CallQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * Bounds on an instant, both inclusive; an empty bound is open. A bounded range never matches a
   * time that is absent (a call that has not ended has no end time).
   */
  record TimeRange(Optional<Instant> from, Optional<Instant> to) {
    public static final TimeRange ANY = new TimeRange(Optional.empty(), Optional.empty());

    public boolean bounded() {
      return from.isPresent() || to.isPresent();
    }

    public boolean contains(Optional<Instant> at) {
      if (!bounded()) {
        return true;
      }
      return at.filter(t -> from.map(f -> !t.isBefore(f)).orElse(true)
          && to.map(u -> !t.isAfter(u)).orElse(true)).isPresent();
    }
  }

  /**
   * The last known statistics of a queue, kept beyond the queue entity (which passivates when
   * empty, and is gone with its node).
   *
   * @param updated when these statistics were taken
   */
  record QueueRecord(
      String queueSid, String name, int maxSize, int averageWaitSeconds, Instant updated) {}

  /** The ended call {@code callSid}, if kept. */
  CompletionStage<Optional<CallSnapshot>> findCall(String callSid);

  /** The first {@code limit} ended calls matching {@code query}, newest first. */
  CompletionStage<List<CallSnapshot>> listCalls(CallQuery query, int limit);

  /** The recording {@code recordingSid}, if kept. */
  CompletionStage<Optional<RecordingIndex.Entry>> findRecording(String recordingSid);

  /**
   * Recordings newest first (by start time), only those of {@code callSid} when given, from
   * {@code offset}, at most {@code limit}.
   */
  CompletionStage<List<RecordingIndex.Entry>> listRecordings(
      Optional<String> callSid, TimeRange created, int offset, int limit);

  /** As above, created at any time. */
  default CompletionStage<List<RecordingIndex.Entry>> listRecordings(
      Optional<String> callSid, int offset, int limit) {
    return listRecordings(callSid, TimeRange.ANY, offset, limit);
  }

  /** Forgets a recording (REST delete); whether it was kept. */
  CompletionStage<Boolean> deleteRecording(String recordingSid);

  /**
   * Forgets calls that ended and recordings that started before {@code cutoff}; how many records
   * went.
   */
  CompletionStage<Integer> purgeBefore(Instant cutoff);

  /**
   * Keeps the latest statistics of live queues (a later record of the same queue replaces it);
   * never blocks. The memory store keeps none: there the live queues are all there is.
   */
  void queuesSeen(List<QueueRecord> queues);

  /** Every queue kept, by name. */
  CompletionStage<List<QueueRecord>> listQueues();

  /** Forgets a queue that was deleted (REST {@code DELETE Queues/{sid}}). */
  CompletionStage<Void> forgetQueue(String queueSid);

  /**
   * What the store's writer did since it opened ({@link StoreTraffic#snapshot()}): transactions,
   * rows, its thread's CPU; empty for a store without a database.
   */
  default java.util.Map<String, Long> traffic() {
    return java.util.Map.of();
  }

  /** Writes what is still queued (as far as the database lets it) and releases the store. */
  @Override
  void close();
}
