package org.switchboard.http.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** A Media Streams application: a WebSocket server on 127.0.0.1 recording what it receives. */
public final class TestApp extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();

  final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Done> closedBySession = new CompletableFuture<>();
  private final CompletableFuture<BoundedSourceQueue<Message>> toSession = new CompletableFuture<>();
  private final Materializer materializer;
  final int port;

  public TestApp(ActorSystem<?> system) throws Exception {
    this.materializer = Materializer.matFromSystem(system);
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(path("stream", () -> extractRequest(r -> handleWebSocketMessages(connection()))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    this.port = binding.localAddress().getPort();
  }

  public String url() {
    return "ws://127.0.0.1:" + port + "/stream";
  }

  private Flow<Message, Message, NotUsed> connection() {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(1000).preMaterialize(materializer);
    toSession.complete(out.first());
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, m -> m.asTextMessage().toStrict(5000, materializer))
        .toMat(Sink.foreach(t -> received.add(JSON.readTree(t.text()))), Keep.right())
        .mapMaterializedValue(done -> {
          done.whenComplete((d, e) -> {
            out.first().complete();
            closedBySession.complete(Done.getInstance());
          });
          return NotUsed.getInstance();
        });
    return Flow.fromSinkAndSource(in, out.second());
  }

  /** Sends a JSON text message to the session. */
  public void send(String json) throws Exception {
    toSession.get(10, TimeUnit.SECONDS).offer(TextMessage.create(json));
  }

  /** Closes the socket from the application's side. */
  public void close() throws Exception {
    toSession.get(10, TimeUnit.SECONDS).complete();
  }

  /** The next message received within {@code millis}, or null. */
  public JsonNode poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next message received, within 10 s. */
  public JsonNode next() throws InterruptedException {
    JsonNode node = received.poll(10, TimeUnit.SECONDS);
    if (node == null) {
      throw new AssertionError("the application received nothing within 10 s");
    }
    return node;
  }
}
