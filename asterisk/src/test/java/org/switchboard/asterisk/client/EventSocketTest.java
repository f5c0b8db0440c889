package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocket;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK-based event socket against a real WebSocket server and a peer that goes silent. */
class EventSocketTest {
  private ActorSystem system;
  private Materializer materializer;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    system = ActorSystem.create("event-socket-test");
    materializer = Materializer.matFromSystem(system);
  }

  @AfterEach
  void stop() {
    TestKit.shutdownActorSystem(system);
  }

  @Test
  void joinsFragmentsSkipsBinaryFramesAndEndsWhenTheServerCloses() throws Exception {
    List<Message> sent = List.of(
        BinaryMessage.create(ByteString.fromString("not an event")),
        TextMessage.create(Source.from(List.of("{\"type\":", "\"StasisStart\"", "}"))),
        TextMessage.create("{\"type\":\"StasisEnd\"}"));
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bindSync(request -> {
          String auth = request.getHeader("Authorization").map(h -> h.value()).orElse("");
          if (!auth.equals("Basic dTpw")) {
            return HttpResponse.create().withStatus(401);
          }
          return WebSocket.handleWebSocketRequestWith(
              request, Flow.fromSinkAndSource(Sink.ignore(), Source.from(sent)));
        })
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI uri = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ari/events");

    var socket = EventSocket.open(system, client, uri, Map.of("Authorization", "Basic dTpw"),
        Duration.ofSeconds(5), Duration.ofSeconds(30), text -> false, materializer);
    socket.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> texts = socket.second().runWith(Sink.seq(), materializer)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("{\"type\":\"StasisStart\"}", "{\"type\":\"StasisEnd\"}"), texts);

    var refused = EventSocket.open(system, client, uri, Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(30), text -> false, materializer);
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> refused.first().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(error.getCause().getMessage().contains("WebSocket upgrade refused: 401"),
        error.getCause().toString());
    binding.unbind();
  }

  /**
   * The caller subscribes to the frames only after the socket opened and it resynced, which on a
   * cold JVM can take longer than the materializer's subscription timeout (5 s by default; 200 ms
   * here): the buffer must still be there, not cancelled as a stale publisher.
   */
  @Test
  void framesSubscribedToAfterTheSubscriptionTimeoutStillArrive() throws Exception {
    ActorSystem strict = ActorSystem.create("event-socket-late", com.typesafe.config.ConfigFactory
        .parseString("pekko.stream.materializer.subscription-timeout.timeout = 200ms")
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    try {
      Materializer mat = Materializer.matFromSystem(strict);
      ServerBinding binding = Http.get(strict).newServerAt("127.0.0.1", 0)
          .bindSync(request -> WebSocket.handleWebSocketRequestWith(request,
              Flow.fromSinkAndSource(Sink.ignore(),
                  Source.single((Message) TextMessage.create("{\"type\":\"StasisStart\"}"))
                      .concat(Source.maybe()))))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      URI uri = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ari/events");
      var socket = EventSocket.open(strict, client, uri, Map.of(), Duration.ofSeconds(5),
          Duration.ofSeconds(30), text -> false, mat);
      socket.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<String> texts = Source.single(1)
          .initialDelay(Duration.ofMillis(800))
          .flatMapConcat(n -> socket.second())
          .take(1)
          .runWith(Sink.seq(), mat)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of("{\"type\":\"StasisStart\"}"), texts);
    } finally {
      TestKit.shutdownActorSystem(strict);
    }
  }

  @Test
  void aStreamThatDoesNotPullLosesNothingAndKeepsTheOrder() throws Exception {
    int count = EventSocket.BUFFER * 3 + 7;
    java.util.concurrent.CompletableFuture<org.apache.pekko.Done> allSent =
        new java.util.concurrent.CompletableFuture<>();
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bindSync(request -> WebSocket.handleWebSocketRequestWith(request, Flow.fromSinkAndSource(
            Sink.ignore(),
            Source.range(1, count).<Message>map(i -> TextMessage.create("{\"n\":" + i + "}"))
                .watchTermination((mat, done) -> {
                  done.whenComplete((d, e) -> allSent.complete(org.apache.pekko.Done.done()));
                  return mat;
                }))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI uri = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ari/events");
    var socket = EventSocket.open(system, client, uri, Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(30), text -> false, materializer);
    socket.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
    var frames = socket.second().runWith(Sink.queue(1), materializer);
    // Nothing is pulled until the server wrote every frame: the buffer fills, the rest is held.
    allSent.get(10, TimeUnit.SECONDS);
    for (int i = 1; i <= count; i++) {
      var next = frames.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(java.util.Optional.of("{\"n\":" + i + "}"), next);
    }
    assertEquals(java.util.Optional.empty(),
        frames.pull().toCompletableFuture().get(10, TimeUnit.SECONDS), "ends after the last frame");
    binding.unbind();
  }

  /**
   * The door and the commands' answers read frames as they come, even while the engine takes
   * nothing: a frame far behind a full buffer is intercepted before the stream pulled once.
   */
  @Test
  void framesBehindAFullBufferAreStillInterceptedAsTheyArrive() throws Exception {
    int before = EventSocket.BUFFER * 4;
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bindSync(request -> WebSocket.handleWebSocketRequestWith(request, Flow.fromSinkAndSource(
            Sink.ignore(),
            Source.range(1, before).<Message>map(i -> TextMessage.create("{\"n\":" + i + "}"))
                .concat(Source.single(TextMessage.create("{\"door\":true}")))
                .concat(Source.single(TextMessage.create("{\"n\":" + (before + 1) + "}"))))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI uri = URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ari/events");
    java.util.concurrent.CompletableFuture<String> intercepted =
        new java.util.concurrent.CompletableFuture<>();
    var socket = EventSocket.open(system, client, uri, Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(30), text -> text.contains("door") && intercepted.complete(text),
        materializer);
    socket.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
    var frames = socket.second().runWith(Sink.queue(1), materializer);
    assertEquals("{\"door\":true}", intercepted.get(10, TimeUnit.SECONDS),
        "seen while " + before + " frames wait for the stream");
    for (int i = 1; i <= before + 1; i++) {
      assertEquals(java.util.Optional.of("{\"n\":" + i + "}"),
          frames.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    binding.unbind();
  }

  @Test
  void aPeerThatStopsAnsweringPingsEndsTheStreamWithAnError() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> acceptAndGoSilent(server), "silent-peer");
      peer.setDaemon(true);
      peer.start();
      URI uri = URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ari/events");
      var socket = EventSocket.open(system, client, uri, Map.of(), Duration.ofSeconds(5),
          Duration.ofMillis(100), text -> false, materializer);
      socket.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ExecutionException error = assertThrows(ExecutionException.class,
          () -> socket.second().runWith(Sink.ignore(), materializer)
              .toCompletableFuture().get(10, TimeUnit.SECONDS));
      IOException dead = assertInstanceOf(IOException.class, error.getCause());
      assertTrue(dead.getMessage().contains("considered dead"), dead.getMessage());
    }
  }

  /** Completes one WebSocket handshake, then reads and ignores everything (pings included). */
  private static void acceptAndGoSilent(ServerSocket server) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      Matcher key = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)").matcher(head);
      if (!key.find()) {
        return;
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
              .getBytes(StandardCharsets.US_ASCII)));
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] sink = new byte[1024];
      while (in.read(sink) >= 0) {
        // silent: never answers a ping
      }
    } catch (Exception e) {
      // the client aborted; nothing to report
    }
  }
}
