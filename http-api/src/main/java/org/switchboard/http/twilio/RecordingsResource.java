package org.switchboard.http.twilio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.RecordingStore;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

/**
 * Twilio's Recordings resource: list (all or per call, {@code DateCreated} filters of {@link
 * DateFilters}), fetch, delete.
 */
final class RecordingsResource {
  private final RecordingStore store;
  private final TwilioJson json;
  private final NestedItems underCalls;

  RecordingsResource(RecordingStore store, TwilioJson json) {
    this.store = store;
    this.json = json;
    this.underCalls = new NestedItems(json, "Calls", "Recordings", "recording");
  }

  /** {@code /Recordings.json} (optionally {@code ?CallSid=}) or {@code /Calls/{sid}/Recordings}. */
  CompletionStage<Object> list(TwilioForm params, Optional<String> callFromPath) {
    Paging paging = Paging.of(params);
    Optional<String> callSid = callFromPath.or(() -> params.first("CallSid"));
    Map<String, String> filters = new LinkedHashMap<>();
    if (callFromPath.isEmpty()) {
      callSid.ifPresent(sid -> filters.put("CallSid", sid));
    }
    String path = underCalls.listPath(callFromPath);
    DateRange dateCreated = DateFilters.parse(params, "DateCreated", filters);
    return store.listRecordings(callSid, dateCreated, paging.offset(), paging.pageSize())
        .thenApply(page ->
        paging.envelope(path, filters, "recordings", page,
            page.items().stream().map(json::recording).toList()));
  }

  /** One recording; with {@code callSid}, only if it belongs to that call. */
  CompletionStage<Object> fetch(String sid, Optional<String> callSid) {
    return owned(sid, callSid).thenApply(json::recording);
  }

  /** Deletes; answers nothing (204). */
  CompletionStage<Void> delete(String sid, Optional<String> callSid) {
    if (callSid.isEmpty()) {
      return store.deleteRecording(sid);
    }
    return owned(sid, callSid).thenCompose(recording -> store.deleteRecording(sid));
  }

  private CompletionStage<RecordingInfo> owned(String sid, Optional<String> callSid) {
    return underCalls.owned(sid, callSid, store.fetchRecording(sid), RecordingInfo::callSid);
  }
}
