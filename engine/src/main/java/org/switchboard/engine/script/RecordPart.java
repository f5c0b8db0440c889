package org.switchboard.engine.script;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.AriPort.RecordRequest;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.RecordProgress;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;

/**
 * {@code <Record>} (spec §4.5, §2.3, §7.2): ARI records with the beep, silence and length limits;
 * finishOnKey maps to {@code terminateOn} when ARI can express it and to a script-side stop
 * otherwise. The action and the recording callbacks go out even when the caller hangs up; with
 * {@code transcribe} the finished recording is handed on to be transcribed ({@link
 * CallEffect.Transcribe}).
 */
final class RecordPart {
  private RecordPart() {}

  static void start(Transition t, Record record) {
    String sid = t.settings.recordingSids().get();
    String terminateOn = terminateOn(record.finishOnKey());
    boolean stopOnKey = terminateOn.equals("none") && !record.finishOnKey().isEmpty();
    t.emit(
        new CallEffect.StartRecording(
            sid,
            new RecordRequest(
                sid, "wav", record.maxLength(), record.timeout(), record.playBeep(), terminateOn,
                "fail")));
    t.await(
        new Awaiting.Recording(
            new RecordProgress(record, sid, Optional.empty(), Optional.empty(), stopOnKey)));
  }

  /** ARI's terminateOn: {@code any} for the default set, {@code #}/{@code *} alone, else none. */
  static String terminateOn(String finishOnKey) {
    if (finishOnKey.equals(Record.DEFAULT_FINISH_ON_KEY)) {
      return "any";
    }
    if (finishOnKey.equals("#") || finishOnKey.equals("*")) {
      return finishOnKey;
    }
    return "none";
  }

  static void onStarted(Transition t, RecordProgress p, String name, Instant at) {
    if (!name.equals(p.recordingSid())) {
      return;
    }
    RecordProgress started =
        new RecordProgress(p.record(), p.recordingSid(), Optional.of(at), p.key(), p.stopOnKey());
    t.await(new Awaiting.Recording(started));
    callback(t, started, RecordingEvent.IN_PROGRESS, Optional.empty());
  }

  static void onDigit(Transition t, RecordProgress p, String digit) {
    if (p.key().isPresent() || !p.record().finishOnKey().contains(digit)) {
      return;
    }
    t.await(
        new Awaiting.Recording(
            new RecordProgress(
                p.record(), p.recordingSid(), p.startedAt(), Optional.of(digit), p.stopOnKey())));
    if (p.stopOnKey()) {
      t.emit(new CallEffect.StopRecording(p.recordingSid()));
    }
  }

  static void onFinished(Transition t, RecordProgress p, String name, int seconds) {
    if (!name.equals(p.recordingSid())) {
      return;
    }
    callback(t, p, seconds > 0 ? RecordingEvent.COMPLETED : RecordingEvent.ABSENT,
        Optional.of(seconds));
    transcribe(t, p, seconds);
    if (seconds == 0 && t.settings.emptyRecordingFallsThrough()) {
      Flow.advance(t);
      return;
    }
    Flow.action(t, action(p), actionParams(t, p, seconds, p.key()));
  }

  static void onFailed(Transition t, RecordProgress p, String name, String cause) {
    if (!name.equals(p.recordingSid())) {
      return;
    }
    t.warn("recording " + name + " failed: " + cause);
    onFinished(t, p, name, 0);
  }

  /** The caller hung up while recording: keep the file, send callbacks, request the action. */
  static void onCallEnded(Transition t, RecordProgress p, Instant at) {
    int seconds =
        p.startedAt().map(s -> (int) Math.max(0, Duration.between(s, at).toSeconds())).orElse(0);
    t.emit(new CallEffect.StopRecording(p.recordingSid()));
    callback(t, p, seconds > 0 ? RecordingEvent.COMPLETED : RecordingEvent.ABSENT,
        Optional.of(seconds));
    transcribe(t, p, seconds);
    List<Map.Entry<String, String>> params =
        actionParams(t, p, seconds, p.key().or(() -> Optional.of("hangup")));
    long id = t.state.counter() + 1;
    t.state = t.state.withCounter(id);
    Webhook target = action(p);
    t.emit(
        new CallEffect.FetchTwiml(
            id, target.url(), target.method(), params, FetchPurpose.AFTER_HANGUP));
    t.finish();
  }

  private static Webhook action(RecordProgress p) {
    return new Webhook(p.record().action(), p.record().method());
  }

  private static List<Map.Entry<String, String>> actionParams(
      Transition t, RecordProgress p, int seconds, Optional<String> digits) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(Map.entry("RecordingUrl", url(t, p)));
    params.add(Map.entry("RecordingDuration", String.valueOf(seconds)));
    params.add(Map.entry("RecordingSid", p.recordingSid()));
    digits.ifPresent(d -> params.add(Map.entry("Digits", d)));
    return params;
  }

  private static void callback(
      Transition t, RecordProgress p, RecordingEvent event, Optional<Integer> seconds) {
    RecordingStatusCallback cb = p.record().recordingStatusCallback();
    if (cb.url().isEmpty() || !cb.events().contains(event)) {
      return;
    }
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(Map.entry("RecordingSid", p.recordingSid()));
    params.add(Map.entry("RecordingUrl", url(t, p)));
    params.add(Map.entry("RecordingStatus", event.wire()));
    seconds.ifPresent(s -> params.add(Map.entry("RecordingDuration", String.valueOf(s))));
    params.add(Map.entry("RecordingChannels", "1"));
    p.startedAt().ifPresent(s -> params.add(Map.entry("RecordingStartTime", Rfc2822.format(s))));
    params.add(Map.entry("RecordingSource", "RecordVerb"));
    t.emit(new CallEffect.Notify(cb.url().get(), cb.method(), params, "recording-" + event.wire()));
  }

  /**
   * {@code transcribe="true"}: the recording goes to the node's transcriber, whose outcome reaches
   * the {@code transcribeCallback} (spec §1.3, §4.5) later, whatever the call does meanwhile.
   */
  private static void transcribe(Transition t, RecordProgress p, int seconds) {
    if (p.record().transcribe()) {
      t.emit(new CallEffect.Transcribe(p.recordingSid(), seconds, url(t, p),
          p.record().transcribeCallback()));
    }
  }

  private static String url(Transition t, RecordProgress p) {
    return t.settings.recordingLinks().recordingUrl(p.recordingSid()).toString();
  }
}
