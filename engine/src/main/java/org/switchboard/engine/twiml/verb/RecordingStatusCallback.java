package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code recordingStatusCallback}, {@code recordingStatusCallbackMethod} and {@code
 * recordingStatusCallbackEvent} attributes of Record, Dial and Conference (spec §2.3).
 *
 * @param url resolved callback URL, empty when absent (then no callback is sent)
 * @param method default POST
 * @param events default {@code completed} only
 */
public record RecordingStatusCallback(
    Optional<URI> url, Method method, Set<RecordingEvent> events) {

  /** No callback. */
  public static final RecordingStatusCallback NONE =
      new RecordingStatusCallback(Optional.empty(), Method.POST, Set.of(RecordingEvent.COMPLETED));

  public RecordingStatusCallback {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    events = Checks.set("events", events);
  }
}
