package org.switchboard.engine.call;

import java.util.Optional;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;

/**
 * Which call entity an ARI event belongs to.
 *
 * <p>Id convention: every resource a call creates itself (bridges, playbacks, ExternalMedia and
 * snoop channels) is named {@code <ownerCallSid>-<kind>-<n>} (channels with a trailing {@code _}, see
 * {@link #channelId}), e.g. {@code CA…-br-1}. So an id
 * that starts with {@code CA} + 32 hex digits + {@code -} routes to that CallSid; any other channel
 * (an inbound channel, an originated leg) is a call of its own, keyed by {@link
 * CallSid#forChannel}. Playback and recording events route by their target channel or bridge.
 */
public final class CallRouting {
  /** The last character of every channel id {@link #channelId} makes. */
  public static final String CHANNEL_ID_END = "_";

  private CallRouting() {}

  /** The entity id (CallSid) that owns {@code event}. */
  public static String entityIdFor(ChannelEvent event) {
    return entityIdFor(event.serverId(), event.routingId());
  }

  /** The entity id owning the channel or bridge {@code resourceId} on {@code serverId}. */
  public static String entityIdFor(String serverId, String resourceId) {
    return ownerOf(resourceId).orElseGet(() -> CallSid.forChannel(new ChannelRef(serverId, resourceId)));
  }

  /** The owning CallSid encoded in a resource id, if it follows the convention. */
  public static Optional<String> ownerOf(String resourceId) {
    return CallSid.ownerOf(resourceId);
  }

  /**
   * {@code channel}, when a resync lists it as an inbound call that never started: Switchboard did
   * not create it (no {@code sb-} leg, no {@code <CallSid>-<kind>-<n>} resource; the ARI adapter
   * lists other channels only when they run this application's {@code Stasis()}) and it still
   * rings, unanswered, so no call of Switchboard's ever took it: its {@code StasisStart} was lost
   * with the event socket. An answered one is left to the orphan sweep.
   */
  public static Optional<ChannelEvent.ChannelInfo> unansweredInbound(ChannelEvent.ChannelInfo channel) {
    boolean created = channel.id().startsWith("sb-") || ownerOf(channel.id()).isPresent();
    boolean ringing = "Ring".equals(channel.state()) || "Ringing".equals(channel.state());
    return !created && ringing ? Optional.of(channel) : Optional.empty();
  }

  /**
   * The resources of a media stream ({@code <Connect><Stream>}, {@code <Start><Stream>}: the
   * ExternalMedia channel {@code <CallSid>-em-<n>_}, the snoop {@code <CallSid>-snoop-<n>_} and the
   * bridge {@code <CallSid>-br-stream-<n>}, as {@code http.stream.MediaStreamDelegates} names
   * them). A stream lives in the node that runs it and is never taken back after a restart, so such
   * a resource listed for a call no node runs is a leftover.
   */
  private static final java.util.regex.Pattern STREAM_RESOURCE = java.util.regex.Pattern.compile(
      "CA[0-9a-f]{32}-(br-stream-[0-9]+|em-[0-9]+_|snoop-[0-9]+_)");

  /** Whether {@code resourceId} is a media stream's channel or bridge ({@link #STREAM_RESOURCE}). */
  public static boolean streamResource(String resourceId) {
    return STREAM_RESOURCE.matcher(resourceId).matches();
  }

  /** A resource id following the convention: {@code <ownerCallSid>-<kind>-<n>}. */
  public static String resourceId(String ownerCallSid, String kind, int n) {
    return ownerCallSid + "-" + kind + "-" + n;
  }

  /**
   * A channel id following the convention and ending in {@value #CHANNEL_ID_END}: {@code
   * <ownerCallSid>-<kind>-<n>_}. Asterisk refuses a requested channel id that is a prefix
   * (case-insensitively) of a live channel's id (409 "Channel with given unique ID already
   * exists"), and {@code …-em-1} begins {@code …-em-10}; a terminator that appears nowhere else in
   * the id makes every such id prefix-free whatever the counter (a call moved to another node
   * continues with that node's counter). Bridge and playback ids are matched exactly by Asterisk
   * and keep the plain form.
   */
  public static String channelId(String ownerCallSid, String kind, long n) {
    return ownerCallSid + "-" + kind + "-" + n + CHANNEL_ID_END;
  }
}
