package org.switchboard.asterisk.router;

import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.engine.port.ServerEvent;

/**
 * What an event stream hands the {@link EventRouter}: a decoded ARI event tagged with the server
 * it came from, or link-level news about that server.
 */
public sealed interface RouterInput {

  /** The Switchboard id of the Asterisk server this input concerns. */
  String serverId();

  /** An ARI event received from {@code serverId}. */
  record Ari(String serverId, AriEvent event) implements RouterInput {}

  /** Connected / Disconnected / Resynced / Replaced for one server. */
  record Link(ServerEvent event) implements RouterInput {
    @Override
    public String serverId() {
      return event.serverId();
    }
  }
}
