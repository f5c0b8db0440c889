package org.switchboard.asterisk.router;

import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ServerEvent;

/** What {@link AriEventMapper} decided for one ARI event. */
public sealed interface Routing {

  /** Deliver to the actor owning the event's routing id. */
  record ToChannel(ChannelEvent event) implements Routing {}

  /** Hand to the engine's server supervisor. */
  record ToServer(ServerEvent event) implements Routing {}

  /** Not for the engine; {@code reason} names the event type or why it was left out. */
  record Ignored(String reason) implements Routing {}
}
