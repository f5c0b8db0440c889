package org.switchboard.http.twilio;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.RecordingStore;
import org.switchboard.http.api.RecordingStore.TranscriptionInfo;

/**
 * Twilio's Transcriptions resource ({@code <Record transcribe>}): list, fetch, delete, for the
 * account ({@code /Transcriptions}) or one recording ({@code /Recordings/{sid}/Transcriptions}).
 */
final class TranscriptionsResource {
  private final RecordingStore store;
  private final TwilioJson json;
  private final NestedItems underRecordings;

  TranscriptionsResource(RecordingStore store, TwilioJson json) {
    this.store = store;
    this.json = json;
    this.underRecordings = new NestedItems(json, "Recordings", "Transcriptions", "transcription");
  }

  /** {@code /Transcriptions.json} or {@code /Recordings/{sid}/Transcriptions.json}. */
  CompletionStage<Object> list(TwilioForm params, Optional<String> recordingSid) {
    Paging paging = Paging.of(params);
    String path = underRecordings.listPath(recordingSid);
    return store.listTranscriptions(recordingSid, paging.offset(), paging.pageSize())
        .thenApply(page -> paging.envelope(path, Map.of(), "transcriptions", page,
            page.items().stream().map(json::transcription).toList()));
  }

  /** One transcription; with {@code recordingSid}, only if it is of that recording. */
  CompletionStage<Object> fetch(String sid, Optional<String> recordingSid) {
    return owned(sid, recordingSid).thenApply(json::transcription);
  }

  /** Forgets it; answers nothing (204). */
  CompletionStage<Void> delete(String sid, Optional<String> recordingSid) {
    return owned(sid, recordingSid).thenCompose(t -> store.deleteTranscription(sid));
  }

  private CompletionStage<TranscriptionInfo> owned(String sid, Optional<String> recordingSid) {
    return underRecordings.owned(sid, recordingSid, store.fetchTranscription(sid),
        TranscriptionInfo::recordingSid);
  }
}
