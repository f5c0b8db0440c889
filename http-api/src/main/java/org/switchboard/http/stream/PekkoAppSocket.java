package org.switchboard.http.stream;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AppSocket} on Pekko HTTP's WebSocket client ({@link WebSocketClient#PEKKO}): text
 * messages in (made strict, in order; binary ones drained and ignored), a bounded source queue of
 * messages out into the socket's stream stages.
 *
 * @param out messages to the application; {@code complete()} closes the socket
 * @param upgrade the HTTP upgrade's outcome
 * @param closed completes when the application's side of the socket ends (exceptionally on failure)
 */
record PekkoAppSocket(
    BoundedSourceQueue<Outgoing> out,
    CompletionStage<WebSocketUpgradeResponse> upgrade,
    CompletionStage<Done> closed) implements AppSocket {

  private static final Logger log = LoggerFactory.getLogger(PekkoAppSocket.class);
  private static final long STRICT_TIMEOUT_MS = 5_000;

  /**
   * A message to the application.
   *
   * @param message the WebSocket message
   * @param arrivedNanos {@link System#nanoTime()} when the frame it carries arrived from Asterisk,
   *     0 for other messages
   */
  record Outgoing(Message message, long arrivedNanos) {}

  /**
   * Connects to {@code url} with {@code headers}; {@code onText} receives each text message, one
   * at a time, and {@code delays} each frame's relay delay.
   */
  static PekkoAppSocket connect(ActorSystem<?> system, URI url, Map<String, String> headers,
      Consumer<String> onText, RelayDelays delays) {
    WebSocketRequest request = WebSocketRequest.create(url.toString());
    for (Map.Entry<String, String> header : headers.entrySet()) {
      request = request.addHeader(HttpHeader.parse(header.getKey(), header.getValue()));
    }
    Materializer materializer = Materializer.matFromSystem(system);
    Pair<CompletionStage<WebSocketUpgradeResponse>,
        Pair<CompletionStage<Done>, BoundedSourceQueue<Outgoing>>> ws =
        Http.get(system).singleWebSocketRequest(request,
            clientFlow(materializer, onText, delays), materializer);
    return new PekkoAppSocket(ws.second().second(), ws.first(), ws.second().first());
  }

  @Override
  public boolean offer(String text, long arrivedNanos) {
    QueueOfferResult result = out.offer(new Outgoing(TextMessage.create(text), arrivedNanos));
    return result == QueueOfferResult.enqueued();
  }

  @Override
  public CompletionStage<Void> opened() {
    return upgrade.thenAccept(response -> {
      if (response.response().status().intValue() != 101) {
        throw new CompletionException(
            new UpgradeRefused(response.response().status().toString()));
      }
    });
  }

  @Override
  public void close() {
    out.complete();
  }

  /**
   * What runs on the socket: text messages in to {@code onText}, the outbox's messages out (each
   * frame's relay delay reported as it leaves). The outbox is materialized with the socket's own
   * stages, in one graph, so a message crosses no stream boundary (an actor message each) on its
   * way to the socket. Materializes as (the incoming side's completion, the outbox).
   */
  static Flow<Message, Message, Pair<CompletionStage<Done>, BoundedSourceQueue<Outgoing>>>
      clientFlow(Materializer materializer, Consumer<String> onText, RelayDelays delays) {
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .mapAsync(1, message -> text(message, materializer))
        .toMat(Sink.foreach(text -> text.ifPresent(onText)), Keep.right());
    Source<Message, BoundedSourceQueue<Outgoing>> out = Source.<Outgoing>queue(BUFFER).map(o -> {
      if (o.arrivedNanos() != 0) {
        delays.observe(RelayDelays.Direction.INBOUND, System.nanoTime() - o.arrivedNanos());
      }
      return o.message();
    });
    return Flow.fromSinkAndSourceMat(in, out, Keep.both());
  }

  private static CompletionStage<Optional<String>> text(Message message, Materializer mat) {
    if (message.isText() && message.asTextMessage().isStrict()) {
      // The usual case (one frame per message): no stream to run.
      return CompletableFuture.completedFuture(Optional.of(message.asTextMessage().getStrictText()));
    }
    if (message.isText()) {
      return message.asTextMessage().toStrict(STRICT_TIMEOUT_MS, mat)
          .thenApply(strict -> Optional.of(strict.text()));
    }
    return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat)
        .thenApply(done -> {
          log.debug("ignoring a binary message from the stream application");
          return Optional.empty();
        });
  }
}
