package org.switchboard.http.stream;

import java.net.URI;
import java.util.concurrent.CompletionException;
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

/**
 * An {@link AsteriskMediaSocket} on Pekko HTTP's WebSocket client ({@link WebSocketClient#PEKKO}):
 * a bounded source queue of messages into the socket's stream stages.
 *
 * @param out audio to Asterisk; {@code complete()} closes the socket
 * @param upgrade the HTTP upgrade's outcome
 * @param closed completes when Asterisk's side of the socket ends (exceptionally on failure)
 */
record PekkoMediaSocket(
    BoundedSourceQueue<Message> out,
    CompletionStage<WebSocketUpgradeResponse> upgrade,
    CompletionStage<Done> closed) implements AsteriskMediaSocket {

  private static final long STRICT_TIMEOUT_MS = 5_000;

  /** Connects; {@code onAudio} receives each binary message, {@code onEvent} each text one. */
  static PekkoMediaSocket connect(ActorSystem<?> system, URI uri, Consumer<byte[]> onAudio,
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
    return new PekkoMediaSocket(ws.second().second(), ws.first(), ws.second().first());
  }

  @Override
  public boolean send(byte[] audio) {
    return out.offer(BinaryMessage.create(ByteString.fromArray(audio)))
        == QueueOfferResult.enqueued();
  }

  @Override
  public boolean sendText(String command) {
    return out.offer(TextMessage.create(command)) == QueueOfferResult.enqueued();
  }

  @Override
  public CompletionStage<Void> opened() {
    return upgrade.thenAccept(response -> {
      if (response.response().status().intValue() != 101) {
        throw new CompletionException(
            new AppSocket.UpgradeRefused(response.response().status().toString()));
      }
    });
  }

  @Override
  public void close() {
    out.complete();
  }
}
