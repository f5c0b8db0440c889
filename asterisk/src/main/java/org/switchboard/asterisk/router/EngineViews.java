package org.switchboard.asterisk.router;

import java.util.Optional;
import org.switchboard.asterisk.ari.Bridge;
import org.switchboard.asterisk.ari.CallerID;
import org.switchboard.asterisk.ari.Channel;
import org.switchboard.asterisk.ari.DialplanCEP;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ServerEvent;

/** Converts ARI wire records into the engine's views of channels and bridges. */
public final class EngineViews {
  private EngineViews() {}

  /** A channel as the engine sees it in StasisStart or a resync snapshot. */
  public static ChannelEvent.ChannelInfo channelInfo(Channel channel) {
    Optional<DialplanCEP> dialplan = Optional.ofNullable(channel.dialplan());
    return new ChannelEvent.ChannelInfo(
        channel.id(),
        channel.name(),
        channel.state(),
        party(channel.caller()),
        party(channel.connected()),
        dialplan.map(DialplanCEP::context).orElse(null),
        dialplan.map(DialplanCEP::exten).orElse(null),
        channel.protocolId(),
        channel.language(),
        channel.creationtime());
  }

  /** A bridge as {@code GET /bridges} lists it. */
  public static ServerEvent.BridgeInfo bridgeInfo(Bridge bridge) {
    return new ServerEvent.BridgeInfo(
        bridge.id(), bridge.technology(), bridge.bridgeType(), bridge.channels(), bridge.name());
  }

  private static ChannelEvent.Party party(CallerID id) {
    return id == null ? new ChannelEvent.Party("", "") : new ChannelEvent.Party(id.number(), id.name());
  }
}
