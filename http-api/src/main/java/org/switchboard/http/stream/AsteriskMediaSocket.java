package org.switchboard.http.stream;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The media of one ExternalMedia channel over Asterisk's WebSocket channel driver
 * ({@code chan_websocket}, Asterisk 20.16 / 21.11 / 22.6 and later), in place of RTP: Switchboard
 * connects to {@code ws://<asterisk>/media/<MEDIA_WEBSOCKET_CONNECTION_ID>} with the {@code media}
 * subprotocol; BINARY messages carry raw audio in the channel's format both ways (Asterisk times
 * and re-frames what it receives), TEXT messages carry Asterisk's control events
 * ({@code MEDIA_START connection_id:… channel:… channel_id:… format:ulaw optimal_frame_size:160
 * ptime:20}, {@code DTMF_END}, {@code MEDIA_XOFF}/{@code MEDIA_XON}, …). Two implementations
 * ({@link WebSocketClient}): {@link JdkRelaySocket} and {@link PekkoMediaSocket}.
 */
interface AsteriskMediaSocket {

  /** The WebSocket subprotocol chan_websocket serves. */
  String SUBPROTOCOL = "media";

  /** Messages queued toward Asterisk before new ones are dropped. */
  int BUFFER = 256;

  /**
   * Connects with {@code client}; {@code onAudio} receives each binary message, {@code onEvent}
   * each text one.
   */
  static AsteriskMediaSocket connect(WebSocketClient client, ActorSystem<?> system, URI uri,
      Consumer<byte[]> onAudio, Consumer<String> onEvent) {
    return client == WebSocketClient.JDK
        ? JdkRelaySocket.connect(uri, Map.of(), SUBPROTOCOL, onEvent, onAudio, RelayDelays.NONE,
            BUFFER)
        : PekkoMediaSocket.connect(system, uri, onAudio, onEvent);
  }

  /** Queues audio for Asterisk; false (logged by the caller) if the socket cannot take it. */
  boolean send(byte[] audio);

  /** Queues a control command (e.g. {@code FLUSH_MEDIA}); false if the socket cannot take it. */
  boolean sendText(String command);

  /**
   * Completes once the upgrade succeeded; fails with {@link AppSocket.UpgradeRefused} when
   * Asterisk answered anything but 101, or with the connection's failure.
   */
  CompletionStage<Void> opened();

  /** Completes when Asterisk's side of the socket ends (exceptionally on failure). */
  CompletionStage<Done> closed();

  /** Closes the socket once what is queued is sent (Asterisk hangs the channel up). */
  void close();

  /** The name of a plain-text control event: its first word. */
  static String eventName(String event) {
    String trimmed = event.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(0, space);
  }

  /** The {@code key:value} fields of a plain-text control event after its name. */
  static Map<String, String> fields(String event) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> words = List.of(event.trim().split(" +"));
    for (String word : words.subList(1, words.size())) {
      int colon = word.indexOf(':');
      if (colon > 0) {
        fields.put(word.substring(0, colon), word.substring(colon + 1));
      }
    }
    return fields;
  }
}
