package org.switchboard.engine.port;

import java.util.Objects;

/**
 * A channel on one Asterisk server. Channel ids are only unique per server, so every command and
 * every event carries both.
 */
public record ChannelRef(String serverId, String channelId) {
  public ChannelRef {
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(channelId, "channelId");
  }

  @Override
  public String toString() {
    return serverId + "/" + channelId;
  }
}
