package org.switchboard.asterisk.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A tiny fake of Asterisk's ARI over real HTTP on 127.0.0.1 and an OS-chosen port: canned REST
 * answers by "METHOD /path" and an events WebSocket the test can push frames into and close. It
 * records every request it saw.
 */
final class AriStubServer implements AutoCloseable {

  /** One request as the stub saw it. */
  record Seen(String method, String path, Map<String, String> query, Optional<String> auth, String body) {}

  /** A canned answer. */
  record Answer(int status, String contentType, byte[] body) {
    static Answer json(int status, String json) {
      return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final ActorSystem system;
  private final ServerBinding binding;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<Seen> upgrades = new LinkedBlockingQueue<>();
  /** Text frames clients sent on their event sockets (RESTRequests). */
  final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<BoundedSourceQueue<Message>> sockets = new LinkedBlockingQueue<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

  AriStubServer(ActorSystem system) throws Exception {
    this.system = system;
    answer("GET /ari/channels", Answer.json(200, "[]"));
    answer("GET /ari/bridges", Answer.json(200, "[]"));
    this.binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(this::handle)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  int port() {
    return binding.localAddress().getPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port() + "/ari";
  }

  /** Sets the answer for {@code "METHOD /ari/path"}. */
  void answer(String methodAndPath, Answer answer) {
    answers.put(methodAndPath, answer);
  }

  /** Never answers {@code "METHOD /ari/path"} (for timeouts). */
  void hang(String methodAndPath) {
    hanging.put(methodAndPath, true);
  }

  /** Holds every answer to {@code "METHOD /ari/path"} until {@code open} completes. */
  void gate(String methodAndPath, CompletableFuture<Void> open) {
    gates.put(methodAndPath, open);
  }

  /** Waits for the next events socket the client opens. */
  BoundedSourceQueue<Message> nextSocket() throws InterruptedException {
    BoundedSourceQueue<Message> socket = sockets.poll(10, TimeUnit.SECONDS);
    if (socket == null) {
      throw new AssertionError("no events socket opened within 10 s");
    }
    return socket;
  }

  static void push(BoundedSourceQueue<Message> socket, String text) {
    socket.offer(TextMessage.create(text));
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    Seen s =
        new Seen(
            request.method().value(),
            path,
            request.getUri().query().toMap(),
            request.getHeader("Authorization").map(HttpHeader::value),
            "");
    if (path.equals("/ari/events")) {
      seen.add(s);
      upgrades.add(s);
      return CompletableFuture.completedFuture(events(request));
    }
    return request
        .entity()
        .toStrict(5000, system)
        .thenCompose(
            strict -> {
              String body = strict.getData().utf8String();
              seen.add(new Seen(s.method(), s.path(), s.query(), s.auth(), body));
              String key = s.method() + " " + path;
              if (hanging.containsKey(key)) {
                return new CompletableFuture<>();
              }
              Answer a =
                  answers.getOrDefault(key, Answer.json(404, "{\"message\":\"Resource not found\"}"));
              HttpEntity.Strict entity =
                  a.contentType().equals("application/json")
                      ? HttpEntities.create(ContentTypes.APPLICATION_JSON, a.body())
                      : HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, a.body());
              HttpResponse response = HttpResponse.create().withStatus(a.status()).withEntity(entity);
              return gates.getOrDefault(key, CompletableFuture.completedFuture(null))
                  .thenApply(open -> response);
            });
  }

  private HttpResponse events(HttpRequest request) {
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      return HttpResponse.create().withStatus(400);
    }
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(256).preMaterialize(system);
    sockets.add(out.first());
    Sink<Message, ?> incoming = Sink.foreach(m -> {
      if (m.isText()) {
        m.asTextMessage().toStrict(5000, Materializer.matFromSystem(system))
            .thenAccept(strict -> frames.add(strict.getStrictText()));
      }
    });
    return upgrade.get().handleMessagesWith(incoming, out.second());
  }

  @Override
  public void close() throws Exception {
    binding.terminate(java.time.Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
