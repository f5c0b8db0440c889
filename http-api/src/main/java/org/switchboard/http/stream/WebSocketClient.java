package org.switchboard.http.stream;

import java.util.Locale;

/**
 * Which WebSocket client a stream's sockets use ({@code switchboard.audio.stream.websocket-client}):
 * the socket to the Media Streams application or the Realtime agent, and chan_websocket's media
 * socket to Asterisk.
 */
public enum WebSocketClient {
  /**
   * The JDK's {@code java.net.http.WebSocket} ({@link JdkRelaySocket}): each message is handed to
   * the socket on the thread that sends it, no stream stage or actor message in between.
   */
  JDK,
  /** Pekko HTTP's client: a bounded source queue into the socket's stream stages. */
  PEKKO;

  /** {@code jdk} or {@code pekko}. */
  public static WebSocketClient parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "switchboard.audio.stream.websocket-client must be jdk or pekko, not '" + name + "'", e);
    }
  }
}
