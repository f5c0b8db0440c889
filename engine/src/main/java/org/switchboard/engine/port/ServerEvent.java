package org.switchboard.engine.port;

import java.time.Instant;
import java.util.List;

/** Link-level news about one Asterisk server, delivered to the engine's server supervisor. */
public sealed interface ServerEvent {

  String serverId();

  /** The event socket is open. A {@link Resynced} snapshot follows. */
  record Connected(String serverId, Instant at) implements ServerEvent {}

  /** The event socket closed or failed; a reconnect with backoff is under way. */
  record Disconnected(String serverId, Instant at, String reason) implements ServerEvent {}

  /**
   * After every (re)connect: {@code GET /channels} and {@code GET /bridges}, so the engine can
   * reconcile live calls and clean up orphans. Asterisk replays nothing on reconnect.
   */
  record Resynced(
      String serverId, Instant at, List<ChannelEvent.ChannelInfo> channels, List<BridgeInfo> bridges)
      implements ServerEvent {}

  /** Another socket took over this app ({@code ApplicationReplaced}). */
  record Replaced(String serverId, Instant at) implements ServerEvent {}

  /** A bridge as {@code GET /bridges} lists it. */
  record BridgeInfo(String id, String technology, String bridgeType, List<String> channels, String name) {}
}
