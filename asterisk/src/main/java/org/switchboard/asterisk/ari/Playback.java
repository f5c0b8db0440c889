package org.switchboard.asterisk.ari;

/** ARI {@code Playback}: {@code state} is queued, playing, continuing, done, failed or paused. */
public record Playback(
    String id,
    String mediaUri,
    String nextMediaUri,
    String targetUri,
    String language,
    String state) {

  /** The parsed {@link #targetUri()}. */
  public TargetUri target() {
    return TargetUri.parse(targetUri);
  }
}
