package org.switchboard.engine.port;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a CallSid is: {@value #PREFIX} and 32 lower-case hex digits, the sharding key of a call
 * entity. Every check and every derivation of a CallSid goes through here.
 *
 * <p>A call's CallSid is derived from its channel ({@code serverId/channelId}), so every node of
 * a cluster computes the same sharding key for an event without a shared map, and the CallSid is
 * stable for the life of the call. A resource a call creates (bridge, playback, ExternalMedia or
 * snoop channel) is named {@code <CallSid>-<kind>-<n>}, so its owner can be read from its id.
 */
public final class CallSid {
  /** The two letters every CallSid starts with. */
  public static final String PREFIX = "CA";

  private static final Pattern SHAPE = Pattern.compile(PREFIX + "[0-9a-f]{32}");
  private static final Pattern OWNED = Pattern.compile("(" + SHAPE.pattern() + ")-.+");

  private CallSid() {}

  /** The CallSid of the call that lives on this channel. */
  public static String forChannel(ChannelRef channel) {
    return PREFIX + Sids.digest(channel.serverId() + "/" + channel.channelId());
  }

  /** Whether {@code id} has the shape of a CallSid (a channel id never has). */
  public static boolean isCallSid(String id) {
    return SHAPE.matcher(id).matches();
  }

  /**
   * The CallSid that owns a resource named {@code <CallSid>-<kind>-<n>}, or empty when {@code
   * resourceId} is not named so (an inbound channel, an originated leg).
   */
  public static Optional<String> ownerOf(String resourceId) {
    var m = OWNED.matcher(resourceId);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
