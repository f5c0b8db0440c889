package org.switchboard.http.twilio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.RecordingStore;

/**
 * Twilio's Recordings resource: list (all or per call, {@code DateCreated} filters of {@link
 * DateFilters}), fetch, delete.
 */
final class RecordingsResource {
  private final RecordingStore store;
  private final TwilioJson json;

  RecordingsResource(RecordingStore store, TwilioJson json) {
    this.store = store;
    this.json = json;
  }

  /** {@code /Recordings.json} (optionally {@code ?CallSid=}) or {@code /Calls/{sid}/Recordings}. */
  CompletionStage<Object> list(TwilioForm params, Optional<String> callFromPath) {
    Paging paging = Paging.of(params);
    Optional<String> callSid = callFromPath.or(() -> params.first("CallSid"));
    Map<String, String> filters = new LinkedHashMap<>();
    if (callFromPath.isEmpty()) {
      callSid.ifPresent(sid -> filters.put("CallSid", sid));
    }
    String path = callFromPath
        .map(sid -> json.accountPath() + "/Calls/" + sid + "/Recordings.json")
        .orElse(json.accountPath() + "/Recordings.json");
    DateRange dateCreated = DateFilters.parse(params, "DateCreated", filters);
    return store.listRecordings(callSid, dateCreated, paging.offset(), paging.pageSize())
        .thenApply(page ->
        paging.envelope(path, filters, "recordings", page,
            page.items().stream().map(json::recording).toList()));
  }

  /** One recording; with {@code callSid}, only if it belongs to that call. */
  CompletionStage<Object> fetch(String sid, Optional<String> callSid) {
    return store.fetchRecording(sid).thenApply(recording -> {
      if (callSid.isPresent() && !callSid.get().equals(recording.callSid())) {
        throw ApiException.notFound("recording " + sid + " does not belong to " + callSid.get());
      }
      return json.recording(recording);
    });
  }

  /** Deletes; answers nothing (204). */
  CompletionStage<Void> delete(String sid, Optional<String> callSid) {
    if (callSid.isEmpty()) {
      return store.deleteRecording(sid);
    }
    return store.fetchRecording(sid).thenCompose(recording -> {
      if (!callSid.get().equals(recording.callSid())) {
        throw ApiException.notFound("recording " + sid + " does not belong to " + callSid.get());
      }
      return store.deleteRecording(sid);
    });
  }
}
