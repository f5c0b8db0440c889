package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;

/**
 * A running delegate of a call (a dial session, a queue membership, a media stream). The call
 * stops it when the call ends, is redirected, or leaves the queue.
 */
@FunctionalInterface
public interface Delegation {

  /** Stops the delegate; {@code reason} is e.g. {@code hangup}, {@code leave}, {@code redirected}. */
  void stop(String reason);

  /**
   * An event of the call's own channel, or of a bridge named after the call ({@code
   * <CallSid>-br-…}), that arrived while this delegate runs: DTMF (hangupOnStar, stream {@code
   * dtmf}), bridge membership, recordings of the bridge, the caller's hangup.
   */
  default void onEvent(org.switchboard.engine.port.ChannelEvent event) {}

  /**
   * The call's wait document ran out: a queue membership answers with the current waitUrl
   * parameters ({@link CallCommand.QueueWaiting}); other delegates ignore it.
   */
  default void refresh() {}

  /**
   * The script says the input this delegate collects is complete: a speech capture stops
   * capturing and recognises what it has ({@link CallCommand.SpeechRecognized}); others ignore it.
   */
  default void endOfInput() {}

  /**
   * The call's server {@code serverId} resynced ({@link CallCommand.ServerResynced}): a node may
   * have died with entities this delegate works with (a dial takes its legs back); others ignore
   * it.
   */
  default void resynced(String serverId) {}

  /**
   * Whether {@code resourceId} (a channel or bridge on Asterisk) is one this delegate made and
   * still uses: a media stream's ExternalMedia or snoop channel or its bridge. A stream resource
   * of the call that no running delegate holds is a leftover ({@code StreamLeftovers}).
   */
  default boolean holds(String resourceId) {
    return false;
  }

  /** A delegation with nothing to stop. */
  Delegation NONE = reason -> {};
}
