package org.switchboard.http.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.hotline.LiveRecordings;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.CallModel;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.RecordingControl;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

/**
 * The HTTP API's {@link RecordingControl} over the engine's {@link LiveRecordings}: a live call's
 * recording is started only on an answered call that has not ended, paused, resumed or stopped by
 * RecordingSid or {@link #CURRENT_RECORDING}, and shown in Twilio's recording shape.
 */
public final class EngineRecordingControl implements RecordingControl {
  private final CallOperations ops;
  private final Function<String, CompletionStage<CallInfo>> fetchCall;

  /**
   * @param fetchCall a call live or ended ({@code CallControl.fetchCall}), to say why a call that
   *     is no longer live cannot be recorded
   */
  public EngineRecordingControl(
      CallOperations ops, Function<String, CompletionStage<CallInfo>> fetchCall) {
    this.ops = ops;
    this.fetchCall = fetchCall;
  }

  @Override
  public CompletionStage<RecordingInfo> startRecording(
      String callSid, CallModel.RecordingOptions options) {
    return ops.snapshot(callSid).thenCompose(found -> {
      if (found.isEmpty()) {
        return fetchCall.apply(callSid).thenApply(ended -> {
          throw ApiException.invalidCallState("call " + callSid + " is "
              + ended.status().wire() + ": only an answered call can be recorded");
        });
      }
      CallSnapshot call = found.get();
      if (call.endTime().isPresent() || call.answerTime().isEmpty()) {
        throw ApiException.invalidCallState("call " + callSid + " is " + call.status()
            + ": only an answered call can be recorded");
      }
      return ops.liveRecordings().start(callSid, call.channel(), callback(options),
          options(options, LiveRecordings.SOURCE));
    }).thenApply(EngineRecordingControl::running);
  }

  /** The recording callback a request asks for (live-call recordings and {@code Record=true}). */
  static LiveRecordings.Callback callback(CallModel.RecordingOptions options) {
    return new LiveRecordings.Callback(options.statusCallback(),
        Method.parse(options.statusCallbackMethod()), options.statusCallbackEvents().stream()
            .map(CallModel.RecordingEvent::wire).collect(Collectors.toSet()));
  }

  /** The track, channels and source of a recording a request asks for. */
  static LiveRecordings.Options options(CallModel.RecordingOptions options, String source) {
    return new LiveRecordings.Options(options.track(), options.channels().equals("dual"), source,
        options.trimSilence());
  }

  @Override
  public CompletionStage<RecordingInfo> updateRecording(
      String callSid, String recordingSid, String status) {
    LiveRecordings live = ops.liveRecordings();
    Optional<LiveRecordings.Live> found = recordingSid.equals(CURRENT_RECORDING)
        ? live.of(callSid).stream().findFirst() : live.find(callSid, recordingSid);
    if (found.isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.notFound(
          "no running recording " + recordingSid + " on call " + callSid));
    }
    if (!status.equals("stopped")) {
      return live.pause(found.get(), status.equals("paused"))
          .thenApply(EngineRecordingControl::running);
    }
    LiveRecordings.Live stopping = found.get();
    return live.stop(stopping).thenApply(entry -> {
      Instant now = Instant.now();
      return new RecordingInfo(stopping.recordingSid(), callSid, Optional.empty(),
          entry.map(e -> e.channels()).orElse(stopping.channels()),
          stopping.options().source(), "stopped", stopping.startTime(),
          entry.map(e -> Duration.ofSeconds(e.durationSeconds())),
          stopping.startTime(), now, Optional.empty());
    });
  }

  @Override
  public List<RecordingInfo> runningRecordings(String callSid) {
    return ops.liveRecordings().of(callSid).stream().map(EngineRecordingControl::running).toList();
  }

  private static RecordingInfo running(LiveRecordings.Live live) {
    return new RecordingInfo(live.recordingSid(), live.callSid(), Optional.empty(),
        live.channels(), live.options().source(), live.status(), live.startTime(), Optional.empty(),
        live.startTime(), live.startTime(), Optional.empty());
  }
}
