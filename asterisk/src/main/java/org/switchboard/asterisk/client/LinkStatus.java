package org.switchboard.asterisk.client;

import java.time.Instant;
import java.util.Optional;

/**
 * One server's event socket as /health shows it.
 *
 * @param connected the socket is open and the resync snapshot was taken
 * @param connects how many times a socket was opened and resynced
 * @param reconnectAttempts connection attempts after the first one
 * @param decodeErrors text frames that were not valid ARI JSON (logged and skipped)
 * @param lastError the last close reason, connect failure or decode error
 * @param since when {@code connected} last changed
 */
public record LinkStatus(
    String serverId,
    boolean connected,
    long connects,
    long reconnectAttempts,
    long decodeErrors,
    Optional<String> lastError,
    Instant since) {}
