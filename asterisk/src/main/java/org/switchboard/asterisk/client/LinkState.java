package org.switchboard.asterisk.client;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The live state of one server's event socket, updated by {@link AriEventStream}. Thread-safe. */
final class LinkState {
  private final String serverId;
  private final Clock clock;
  private boolean connected;
  private long connects;
  private long reconnectAttempts;
  private long decodeErrors;
  private String lastError;
  private Instant since;

  LinkState(String serverId, Clock clock) {
    this.serverId = serverId;
    this.clock = clock;
    this.since = clock.instant();
  }

  synchronized Instant connected() {
    connected = true;
    connects++;
    since = clock.instant();
    return since;
  }

  /**
   * The stream reports the socket gone ({@code Disconnected}); when {@link #socketClosed} already
   * said so, the time it closed stays.
   */
  synchronized Instant disconnected(String reason) {
    if (connected) {
      connected = false;
      lastError = reason;
      since = clock.instant();
    }
    return since;
  }

  /**
   * The socket closed (told by the socket itself, before the engine has read the events still
   * buffered): not connected from now on.
   */
  synchronized void socketClosed(String reason) {
    if (connected) {
      connected = false;
      since = clock.instant();
    }
    lastError = reason;
  }

  synchronized void attemptFailed(String reason) {
    lastError = reason;
  }

  synchronized void reconnecting() {
    reconnectAttempts++;
  }

  synchronized void decodeError(String reason) {
    decodeErrors++;
    lastError = reason;
  }

  synchronized LinkStatus snapshot() {
    return new LinkStatus(
        serverId, connected, connects, reconnectAttempts, decodeErrors, Optional.ofNullable(lastError), since);
  }
}
