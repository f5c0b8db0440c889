package org.switchboard.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * {@code switchboard.store.kind = memory}: the node's own bounded {@link CallHistory} and {@link
 * RecordingIndex} are the store; nothing survives a restart.
 */
public final class MemoryHistoryStore implements HistoryStore {
  private final CallHistory history;
  private final RecordingIndex recordings;

  public MemoryHistoryStore(CallHistory history, RecordingIndex recordings) {
    this.history = history;
    this.recordings = recordings;
  }

  @Override
  public CompletionStage<Optional<CallSnapshot>> findCall(String callSid) {
    return CompletableFuture.completedFuture(history.find(callSid));
  }

  @Override
  public CompletionStage<List<CallSnapshot>> listCalls(CallQuery query, int limit) {
    return CompletableFuture.completedFuture(history.list().stream()
        .filter(s -> CallMatch.matches(query, s))
        .sorted(CallMatch.NEWEST_FIRST)
        .limit(limit)
        .toList());
  }

  @Override
  public CompletionStage<Optional<RecordingIndex.Entry>> findRecording(String recordingSid) {
    return CompletableFuture.completedFuture(recordings.find(recordingSid));
  }

  @Override
  public CompletionStage<List<RecordingIndex.Entry>> listRecordings(
      Optional<String> callSid, TimeRange created, int offset, int limit) {
    return CompletableFuture.completedFuture(recordings.list(callSid).stream()
        .filter(e -> created.contains(Optional.of(e.startTime())))
        .sorted(CallMatch.RECORDINGS_NEWEST_FIRST)
        .skip(offset)
        .limit(limit)
        .toList());
  }

  @Override
  public CompletionStage<Boolean> deleteRecording(String recordingSid) {
    return CompletableFuture.completedFuture(recordings.remove(recordingSid));
  }

  @Override
  public CompletionStage<Integer> purgeBefore(Instant cutoff) {
    return CompletableFuture.completedFuture(
        history.forgetEndedBefore(cutoff) + recordings.forgetStartedBefore(cutoff));
  }

  @Override
  public void queuesSeen(List<QueueRecord> queues) {}

  @Override
  public CompletionStage<Void> forgetQueue(String queueSid) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<QueueRecord>> listQueues() {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public void close() {}
}
