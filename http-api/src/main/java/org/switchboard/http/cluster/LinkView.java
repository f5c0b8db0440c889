package org.switchboard.http.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * One Asterisk server's link as one node sees it, for {@code /health} and {@code /status}.
 *
 * @param role {@code owner} (this node holds the server's event socket, connected), {@code
 *     standby} (another node holds it, connected; this one takes over if that node goes), {@code
 *     disconnected} (no node is known to hold it connected: this node's socket is down, or the
 *     owner did not answer or is not connected)
 * @param connected the server's socket is connected at its owner
 * @param owner the owner node's cluster address, when known
 * @param since when the owner's {@code connected} last changed, when known
 */
public record LinkView(
    String serverId,
    String role,
    boolean connected,
    Optional<String> owner,
    Optional<Instant> since,
    Optional<String> lastError) {

  /** The state word /health shows. */
  public String state() {
    return connected ? "connected" : "disconnected";
  }
}
