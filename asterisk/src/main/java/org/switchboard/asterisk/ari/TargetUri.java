package org.switchboard.asterisk.ari;

import java.util.Optional;

/**
 * The {@code target_uri} of a playback or live recording: {@code channel:<id>} or {@code
 * bridge:<id>} (other schemes, e.g. {@code endpoint:}, are kept but have neither id).
 */
public record TargetUri(String scheme, String id) {

  /** Parses {@code scheme:id}; a value without a colon becomes scheme "" with the whole as id. */
  public static TargetUri parse(String uri) {
    if (uri == null) {
      return new TargetUri("", "");
    }
    int colon = uri.indexOf(':');
    return colon < 0
        ? new TargetUri("", uri)
        : new TargetUri(uri.substring(0, colon), uri.substring(colon + 1));
  }

  /** The channel id when the target is a channel. */
  public Optional<String> channelId() {
    return "channel".equals(scheme) ? Optional.of(id) : Optional.empty();
  }

  /** The bridge id when the target is a bridge. */
  public Optional<String> bridgeId() {
    return "bridge".equals(scheme) ? Optional.of(id) : Optional.empty();
  }
}
