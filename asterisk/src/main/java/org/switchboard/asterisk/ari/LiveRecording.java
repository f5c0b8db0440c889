package org.switchboard.asterisk.ari;

/**
 * ARI {@code LiveRecording}. Durations are whole seconds (rounded down) and only present once the
 * recording finished; {@code talkingDuration}/{@code silenceDuration} only when maxSilence was set.
 */
public record LiveRecording(
    String name,
    String format,
    String targetUri,
    String state,
    Integer duration,
    Integer talkingDuration,
    Integer silenceDuration,
    String cause) {

  /** The parsed {@link #targetUri()}. */
  public TargetUri target() {
    return TargetUri.parse(targetUri);
  }
}
