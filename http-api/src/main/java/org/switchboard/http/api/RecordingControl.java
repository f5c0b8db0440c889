package org.switchboard.http.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the HTTP layer asks of the engine about the recordings of live calls (Twilio's {@code
 * Calls/{CallSid}/Recordings}). Same conventions as {@link CallControl}: non-blocking, failures
 * are {@link ApiException}s.
 */
public interface RecordingControl {

  /** {@code Twilio.CURRENT}: the recording of a call that is running, wherever a RecordingSid goes. */
  String CURRENT_RECORDING = "Twilio.CURRENT";

  /**
   * Starts recording the answered call (Twilio's {@code POST Calls/{sid}/Recordings}); answers
   * the recording {@code in-progress}. Errors: {@code NOT_FOUND}, {@code INVALID_CALL_STATE} (not
   * answered, or ended).
   */
  CompletionStage<RecordingStore.RecordingInfo> startRecording(
      String callSid, CallModel.RecordingOptions options);

  /**
   * Pauses ({@code paused}), resumes ({@code in-progress}) or stops ({@code stopped}) a running
   * recording of the call, by RecordingSid or {@link #CURRENT_RECORDING}; answers it in its new
   * status. Errors: {@code NOT_FOUND} (no such running recording).
   */
  CompletionStage<RecordingStore.RecordingInfo> updateRecording(
      String callSid, String recordingSid, String status);

  /** The running (in progress or paused) recordings of the call, newest first. */
  List<RecordingStore.RecordingInfo> runningRecordings(String callSid);

  /** No recording of live calls: starting or updating one is refused (405), none is running. */
  RecordingControl NONE = new RecordingControl() {
    @Override
    public CompletionStage<RecordingStore.RecordingInfo> startRecording(
        String callSid, CallModel.RecordingOptions options) {
      return unsupported();
    }

    @Override
    public CompletionStage<RecordingStore.RecordingInfo> updateRecording(
        String callSid, String recordingSid, String status) {
      return unsupported();
    }

    @Override
    public List<RecordingStore.RecordingInfo> runningRecordings(String callSid) {
      return List.of();
    }

    private <T> CompletionStage<T> unsupported() {
      return CompletableFuture.failedFuture(new ApiException(405,
          ApiException.INVALID_PARAMETER, "recording live calls is not supported"));
    }
  };
}
