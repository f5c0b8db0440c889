package org.switchboard.engine.call;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.CallEvent;

/**
 * The TwiML application that handles a number: where its documents come from and where call
 * progress is reported.
 *
 * @param statusCallbackEvents subset of {@code initiated ringing answered completed}; empty means
 *     {@code completed} only
 */
public record VoiceApplication(
    URI voiceUrl,
    Method voiceMethod,
    Optional<URI> fallbackUrl,
    Method fallbackMethod,
    Optional<URI> statusCallback,
    Method statusCallbackMethod,
    Set<String> statusCallbackEvents) {

  public VoiceApplication {
    Objects.requireNonNull(voiceUrl, "voiceUrl");
    Objects.requireNonNull(voiceMethod, "voiceMethod");
    Objects.requireNonNull(fallbackUrl, "fallbackUrl");
    Objects.requireNonNull(fallbackMethod, "fallbackMethod");
    Objects.requireNonNull(statusCallback, "statusCallback");
    Objects.requireNonNull(statusCallbackMethod, "statusCallbackMethod");
    statusCallbackEvents =
        statusCallbackEvents.isEmpty() ? Set.of(CallEvent.COMPLETED.wire()) : Set.copyOf(statusCallbackEvents);
  }

  /** An application with only a voice URL (POST), no fallback and no status callback. */
  public static VoiceApplication of(URI voiceUrl) {
    return new VoiceApplication(
        voiceUrl, Method.POST, Optional.empty(), Method.POST, Optional.empty(), Method.POST,
        Set.of());
  }

  /** Whether the status callback wants {@code event}. */
  public boolean wants(String event) {
    return statusCallback.isPresent() && statusCallbackEvents.contains(event);
  }
}
