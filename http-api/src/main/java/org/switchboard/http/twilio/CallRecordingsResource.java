package org.switchboard.http.twilio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.CallModel.RecordingOptions;
import org.switchboard.http.api.RecordingControl;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

/**
 * Twilio's Call Recordings under {@code Calls/{CallSid}/Recordings}: start a recording of the live
 * call ({@code POST}, with {@code RecordingStatusCallback*}, {@code RecordingChannels}, {@code
 * RecordingTrack}, {@code Trim}), pause, resume or stop it ({@code POST …/{Sid}} with {@code
 * Status}, {@code Twilio.CURRENT} for the running one), and list or fetch the call's recordings,
 * the running ones first.
 */
final class CallRecordingsResource {
  private static final Set<String> STATUSES = Set.of("paused", "in-progress", "stopped");

  private final RecordingControl live;
  private final RecordingsResource recordings;
  private final TwilioJson json;

  CallRecordingsResource(RecordingControl live, RecordingsResource recordings, TwilioJson json) {
    this.live = live;
    this.recordings = recordings;
    this.json = json;
  }

  CompletionStage<Object> create(String callSid, TwilioForm params) {
    RecordingOptions options = CallsResource.recordingOptions(params);
    String trim = params.first("Trim").orElse("do-not-trim").toLowerCase(Locale.ROOT);
    if (!trim.equals("do-not-trim") && !trim.equals("trim-silence")) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "Trim must be trim-silence or do-not-trim, not '" + trim + "'");
    }
    return live.startRecording(callSid, options.trimmed(trim.equals("trim-silence")))
        .thenApply(json::recording);
  }

  CompletionStage<Object> update(String callSid, String recordingSid, TwilioForm params) {
    String status = params.first("Status").map(s -> s.toLowerCase(Locale.ROOT)).orElseThrow(() ->
        TwilioError.bad(TwilioError.BAD_REQUEST, "Status is required: paused, in-progress or"
            + " stopped"));
    if (!STATUSES.contains(status)) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "Status must be paused, in-progress or stopped, not '" + status + "'");
    }
    params.first("PauseBehavior").map(b -> b.toLowerCase(Locale.ROOT)).ifPresent(behavior -> {
      if (!behavior.equals("skip") && !behavior.equals("silence")) {
        throw TwilioError.bad(TwilioError.BAD_REQUEST,
            "PauseBehavior must be skip or silence, not '" + behavior + "'");
      }
    });
    return live.updateRecording(callSid, recordingSid, status).thenApply(json::recording);
  }

  @SuppressWarnings("unchecked")
  CompletionStage<Object> list(String callSid, TwilioForm params) {
    List<RecordingInfo> running = Paging.of(params).page() == 0
        ? live.runningRecordings(callSid) : List.of();
    return recordings.list(params, Optional.of(callSid)).thenApply(page -> {
      if (running.isEmpty()) {
        return page;
      }
      Map<String, Object> envelope = (Map<String, Object>) page;
      List<Object> items = new ArrayList<>();
      running.forEach(r -> items.add(json.recording(r)));
      items.addAll((List<Object>) envelope.get("recordings"));
      envelope.put("recordings", items);
      return envelope;
    });
  }

  CompletionStage<Object> fetch(String callSid, String recordingSid) {
    Optional<RecordingInfo> running = live.runningRecordings(callSid).stream()
        .filter(r -> r.sid().equals(recordingSid)).findFirst();
    if (running.isPresent()) {
      return CompletableFuture.completedFuture(json.recording(running.get()));
    }
    return recordings.fetch(recordingSid, Optional.of(callSid));
  }
}
