package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Record>}: beep, record the caller until silence, a finish key, {@code maxLength} or
 * hangup, then request {@code action} with {@code RecordingUrl}, {@code RecordingDuration} and
 * {@code Digits} (spec §4.5).
 *
 * @param action resolved {@code action}; defaults to the URL of the current document
 * @param method default POST
 * @param timeout seconds of silence that end the recording, ≥ 0 (0 disables); default 5
 * @param finishOnKey any set of {@code 0-9 # *} (may be empty: no key ends it); default all
 *     keys {@code 1234567890*#}
 * @param maxLength seconds, 1–{@link #MAX_MAX_LENGTH}; default 3600, or 120 when transcribing
 * @param playBeep default true
 * @param trim default {@code trim-silence}
 * @param recordingStatusCallback the {@code recordingStatusCallback*} attributes
 * @param transcribe default false
 * @param transcribeCallback resolved URL, if any
 */
public record Record(
    URI action,
    Method method,
    int timeout,
    String finishOnKey,
    int maxLength,
    boolean playBeep,
    Trim trim,
    RecordingStatusCallback recordingStatusCallback,
    boolean transcribe,
    Optional<URI> transcribeCallback)
    implements Verb {

  public static final int DEFAULT_TIMEOUT = 5;
  public static final String DEFAULT_FINISH_ON_KEY = "1234567890*#";
  public static final int DEFAULT_MAX_LENGTH = 3600;
  public static final int DEFAULT_MAX_LENGTH_TRANSCRIBED = 120;

  /** Upper bound of {@code maxLength} (24 h; the engine may cap it lower by configuration). */
  public static final int MAX_MAX_LENGTH = 86_400;

  public Record {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Checks.atLeast("Record timeout", timeout, 0);
    Checks.charset("Record finishOnKey", Objects.requireNonNull(finishOnKey), Gather.KEYS);
    Checks.range("Record maxLength", maxLength, 1, MAX_MAX_LENGTH);
    Objects.requireNonNull(trim, "trim");
    Objects.requireNonNull(recordingStatusCallback, "recordingStatusCallback");
    Objects.requireNonNull(transcribeCallback, "transcribeCallback");
  }
}
