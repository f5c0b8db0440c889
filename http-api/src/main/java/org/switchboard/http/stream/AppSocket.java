package org.switchboard.http.stream;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The WebSocket client connection to the far side of a stream (a Media Streams application, a
 * Realtime agent): text messages in, in order, one at a time; a bounded queue of text messages
 * out. A message that carries an inbound frame's arrival time reports its relay delay as it is
 * handed to the socket. Two implementations ({@link WebSocketClient}): {@link JdkRelaySocket}
 * and {@link PekkoAppSocket}.
 */
interface AppSocket {

  /** Messages queued for the far side before new ones are dropped. */
  int BUFFER = 4096;

  /**
   * Queues a text message; {@code arrivedNanos} is {@link System#nanoTime()} when the frame it
   * carries arrived from Asterisk, 0 for other messages. False when the message was dropped (the
   * queue is full, or the socket closing).
   */
  boolean offer(String text, long arrivedNanos);

  /**
   * Completes once the upgrade succeeded; fails with {@link UpgradeRefused} when the far side
   * answered anything but 101, or with the connection's failure.
   */
  CompletionStage<Void> opened();

  /** Completes when the far side of the socket ends (exceptionally on failure). */
  CompletionStage<Done> closed();

  /** Closes the socket once the messages queued so far are sent. */
  void close();

  /** The upgrade was answered with {@code status} instead of 101. */
  final class UpgradeRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    UpgradeRefused(String status) {
      super("WebSocket upgrade refused: " + status);
    }
  }

  /** Opens a far socket: over the network, or in memory where none is wanted (benchmarks). */
  @FunctionalInterface
  interface Connector {
    AppSocket connect(ActorSystem<?> system, URI url, Consumer<String> onText, RelayDelays delays);
  }

  /** The connector of {@code client}, sending no extra headers. */
  static Connector connector(WebSocketClient client) {
    return connector(client, Map.of());
  }

  /**
   * The connector of {@code client}; the upgrade request carries {@code headers} (e.g.
   * Authorization).
   */
  static Connector connector(WebSocketClient client, Map<String, String> headers) {
    return client == WebSocketClient.JDK
        ? (system, url, onText, delays) ->
            JdkRelaySocket.connect(url, headers, null, onText, null, delays, BUFFER)
        : (system, url, onText, delays) ->
            PekkoAppSocket.connect(system, url, headers, onText, delays);
  }
}
