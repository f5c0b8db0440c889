package org.switchboard.engine.ring;

import java.util.Objects;
import org.switchboard.engine.port.ChannelRef;

/**
 * The call that runs a {@code <Dial>}.
 *
 * @param answered whether its channel is already answered
 * @param dialIndex how many dials this call ran before (names the bridge {@code
 *     <callSid>-br-<dialIndex>}, so bridge events route to this call by prefix)
 */
public record ParentCall(
    String callSid, ChannelRef channel, String from, String to, boolean answered, int dialIndex) {
  public ParentCall {
    Objects.requireNonNull(callSid, "callSid");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /** The id of this dial's bridge. */
  public String bridgeId() {
    return callSid + "-br-" + dialIndex;
  }
}
