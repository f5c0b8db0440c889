package org.switchboard.http.speech;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.RecordingStore;

/**
 * The node's recordings ({@code inner}) with the transcriptions of its {@link Transcriber}: the
 * REST Transcriptions resource, and a recording's own list of them.
 */
public final class TranscribedRecordings implements RecordingStore {
  private final RecordingStore inner;
  private final Transcriptions transcriptions;

  public TranscribedRecordings(RecordingStore inner, Transcriptions transcriptions) {
    this.inner = inner;
    this.transcriptions = transcriptions;
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, int offset, int limit) {
    return inner.listRecordings(callSid, offset, limit);
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, DateRange dateCreated, int offset, int limit) {
    return inner.listRecordings(callSid, dateCreated, offset, limit);
  }

  @Override
  public CompletionStage<RecordingInfo> fetchRecording(String recordingSid) {
    return inner.fetchRecording(recordingSid);
  }

  @Override
  public CompletionStage<RecordingMedia> openMedia(String name, AudioFormat format) {
    return inner.openMedia(name, format);
  }

  @Override
  public CompletionStage<Void> deleteRecording(String recordingSid) {
    return inner.deleteRecording(recordingSid);
  }

  @Override
  public CompletionStage<Page<TranscriptionInfo>> listTranscriptions(
      Optional<String> recordingSid, int offset, int limit) {
    return CompletableFuture.completedFuture(
        Page.of(transcriptions.list(recordingSid), offset, limit));
  }

  @Override
  public CompletionStage<TranscriptionInfo> fetchTranscription(String transcriptionSid) {
    return transcriptions.find(transcriptionSid)
        .<CompletionStage<TranscriptionInfo>>map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(
            ApiException.notFound("transcription " + transcriptionSid + " not found")));
  }

  @Override
  public CompletionStage<Void> deleteTranscription(String transcriptionSid) {
    if (!transcriptions.remove(transcriptionSid)) {
      return CompletableFuture.failedFuture(
          ApiException.notFound("transcription " + transcriptionSid + " not found"));
    }
    return CompletableFuture.completedFuture(null);
  }
}
