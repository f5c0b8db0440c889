package org.switchboard.engine.script;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.port.Sids;

/**
 * The interpreter's configuration.
 *
 * @param maxDocumentsWithoutMedia documents in a row that may run without any media or input verb
 *     before the call fails as a redirect loop
 * @param errorPrompt what the caller hears before hangup when the application fails
 * @param recordingLinks builds RecordingUrl
 * @param recordingSids new RecordingSids ({@code RE…}); injectable so tests are deterministic
 * @param emptyRecordingFallsThrough a zero-length recording continues with the next verb instead
 *     of requesting the action (spec §4.5 leaves it open; default false)
 * @param clock the time of a queued caller's QueueTime on leaving ({@code <Leave>}, hangup); the
 *     call's own clock, so tests can move it
 */
public record ScriptSettings(
    int maxDocumentsWithoutMedia,
    MediaRef errorPrompt,
    RecordingLinks recordingLinks,
    Supplier<String> recordingSids,
    boolean emptyRecordingFallsThrough,
    Clock clock) {

  /** The prompt used when none is configured. */
  public static final MediaRef DEFAULT_ERROR_PROMPT =
      new MediaRef.Speech(
          "We're sorry, an application error has occurred. Goodbye.",
          java.util.Optional.empty(),
          "en-US");

  public ScriptSettings {
    if (maxDocumentsWithoutMedia < 1) {
      throw new IllegalArgumentException("maxDocumentsWithoutMedia must be at least 1");
    }
    Objects.requireNonNull(errorPrompt, "errorPrompt");
    Objects.requireNonNull(recordingLinks, "recordingLinks");
    Objects.requireNonNull(recordingSids, "recordingSids");
    Objects.requireNonNull(clock, "clock");
  }

  /** Defaults: 25 documents, the standard error prompt, random RecordingSids, the UTC clock. */
  public static ScriptSettings defaults(RecordingLinks links) {
    return new ScriptSettings(25, DEFAULT_ERROR_PROMPT, links, () -> Sids.random("RE"), false,
        Clock.systemUTC());
  }

  /** The same settings reading time from {@code value}. */
  public ScriptSettings withClock(Clock value) {
    return new ScriptSettings(maxDocumentsWithoutMedia, errorPrompt, recordingLinks, recordingSids,
        emptyRecordingFallsThrough, value);
  }
}
