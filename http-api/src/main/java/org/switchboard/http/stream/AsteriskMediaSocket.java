package org.switchboard.http.stream;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one ExternalMedia channel over Asterisk's WebSocket channel driver
 * ({@code chan_websocket}, Asterisk 20.16 / 21.11 / 22.6 and later), in place of RTP: Switchboard
 * connects to {@code ws://<asterisk>/media/<MEDIA_WEBSOCKET_CONNECTION_ID>} with the {@code media}
 * subprotocol; BINARY messages carry raw audio in the channel's format both ways (Asterisk times
 * and re-frames what it receives), TEXT messages carry Asterisk's control events
 * ({@code MEDIA_START connection_id:… channel:… channel_id:… format:ulaw optimal_frame_size:160
 * ptime:20}, {@code DTMF_END}, {@code MEDIA_XOFF}/{@code MEDIA_XON}, …).
 *
 * @param out audio to Asterisk; {@code complete()} closes the socket
 * @param upgrade the HTTP upgrade's outcome
 * @param closed completes when Asterisk's side of the socket ends (exceptionally on failure)
 */
record AsteriskMediaSocket(
    BoundedSourceQueue<Message> out,
    CompletionStage<WebSocketUpgradeResponse> upgrade,
    CompletionStage<Done> closed) {

  private static final Logger log = LoggerFactory.getLogger(AsteriskMediaSocket.class);
  private static final int BUFFER = 256;
  private static final long STRICT_TIMEOUT_MS = 5_000;

  /** The WebSocket subprotocol chan_websocket serves. */
  static final String SUBPROTOCOL = "media";

  /** Connects; {@code onAudio} receives each binary message, {@code onEvent} each text one. */
  static AsteriskMediaSocket connect(ActorSystem<?> system, URI uri, Consumer<byte[]> onAudio,
      Consumer<String> onEvent) {
    Materializer materializer = Materializer.matFromSystem(system);
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .mapAsync(1, message -> message.isText()
            ? message.asTextMessage().toStrict(STRICT_TIMEOUT_MS, materializer)
                .thenApply(t -> (Object) t.getStrictText())
            : message.asBinaryMessage().toStrict(STRICT_TIMEOUT_MS, materializer)
                .thenApply(b -> (Object) b.getStrictData().toArray()))
        .toMat(Sink.foreach(m -> {
          if (m instanceof byte[] audio) {
            onAudio.accept(audio);
          } else {
            onEvent.accept((String) m);
          }
        }), Keep.right());
    WebSocketRequest request =
        WebSocketRequest.create(uri.toString()).requestSubprotocol(SUBPROTOCOL);
    // The outbox runs in the socket's own graph: no stream boundary to cross per frame.
    Pair<CompletionStage<WebSocketUpgradeResponse>,
        Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> ws =
        Http.get(system).singleWebSocketRequest(request,
            Flow.fromSinkAndSourceMat(in, Source.<Message>queue(BUFFER), Keep.both()),
            materializer);
    return new AsteriskMediaSocket(ws.second().second(), ws.first(), ws.second().first());
  }

  /** Queues audio for Asterisk; false (logged by the caller) if the socket cannot take it. */
  boolean send(byte[] audio) {
    return out.offer(BinaryMessage.create(ByteString.fromArray(audio)))
        == QueueOfferResult.enqueued();
  }

  /** Queues a control command (e.g. {@code FLUSH_MEDIA}); false if the socket cannot take it. */
  boolean sendText(String command) {
    return out.offer(TextMessage.create(command)) == QueueOfferResult.enqueued();
  }

  /** The name of a plain-text control event: its first word. */
  static String eventName(String event) {
    String trimmed = event.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(0, space);
  }

  /** Closes the socket (Asterisk hangs the channel up). */
  void close() {
    out.complete();
  }

  /** The {@code key:value} fields of a plain-text control event after its name. */
  static java.util.Map<String, String> fields(String event) {
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    List<String> words = List.of(event.trim().split(" +"));
    for (String word : words.subList(1, words.size())) {
      int colon = word.indexOf(':');
      if (colon > 0) {
        fields.put(word.substring(0, colon), word.substring(colon + 1));
      }
    }
    log.trace("chan_websocket event {}", event);
    return fields;
  }
}
