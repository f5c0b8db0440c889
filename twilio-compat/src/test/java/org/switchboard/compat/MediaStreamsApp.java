package org.switchboard.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Media Streams side of the application under test: a WebSocket server on 127.0.0.1 taking
 * Switchboard's connections at {@code /media/<name>} (one {@link Socket} per connection, the path
 * naming it), keeping every JSON message each receives, able to send messages back and to close
 * the socket as a Twilio application does.
 */
final class MediaStreamsApp extends AllDirectives implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One connection from Switchboard. */
  static final class Socket {
    final String name;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final BoundedSourceQueue<Message> out;
    /** Completes once the socket is closed, by either side. */
    final CompletableFuture<Done> closed = new CompletableFuture<>();

    private Socket(String name, BoundedSourceQueue<Message> out) {
      this.name = name;
      this.out = out;
    }

    /** The messages received so far, in order. */
    List<JsonNode> received() {
      return List.copyOf(received);
    }

    /** The events ({@code connected}, {@code start}…) received so far, in order. */
    List<String> events() {
      return received.stream().map(m -> m.path("event").asText()).toList();
    }

    /** Waits for a message matching {@code match}, failing after {@code timeout}. */
    JsonNode await(Predicate<JsonNode> match, String description, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (JsonNode m : received) {
          if (match.test(m)) {
            return m;
          }
        }
        pause(this);
      }
      throw new AssertionError("socket " + name + ": no " + description + " within " + timeout
          + "; got " + events());
    }

    /** Waits for the first message whose {@code event} is {@code event}. */
    JsonNode await(String event) {
      return await(m -> event.equals(m.path("event").asText()), event, CompatHarness.WAIT);
    }

    /** Sends one JSON message to Switchboard. */
    void send(String json) {
      out.offer(TextMessage.create(json));
    }

    /** Closes the socket from the application's side. */
    void close() {
      out.complete();
    }

    private void add(JsonNode message) {
      received.add(message);
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private final Materializer materializer;
  private final ServerBinding binding;
  private final Map<String, List<Socket>> sockets = new ConcurrentHashMap<>();

  MediaStreamsApp(ActorSystem<?> system) throws Exception {
    materializer = Materializer.matFromSystem(system);
    Route route = pathPrefix("media", () -> path(PathMatchers.segment(),
        name -> handleWebSocketMessages(connection(name))));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The WebSocket URL whose connections are named {@code name}. */
  String url(String name) {
    return "ws://127.0.0.1:" + binding.localAddress().getPort() + "/media/" + name;
  }

  /** Waits for the first connection named {@code name}. */
  Socket await(String name) {
    long deadline = System.nanoTime() + CompatHarness.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Socket> named = sockets.get(name);
      if (named != null && !named.isEmpty()) {
        return named.get(0);
      }
      pause(sockets);
    }
    throw new AssertionError("no WebSocket connection to /media/" + name + " within "
        + CompatHarness.WAIT + "; got " + sockets.keySet());
  }

  private Flow<Message, Message, NotUsed> connection(String name) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(1000).preMaterialize(materializer);
    Socket socket = new Socket(name, out.first());
    sockets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(socket);
    synchronized (sockets) {
      sockets.notifyAll();
    }
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .filter(Message::isText)
        .mapAsync(1, m -> m.asTextMessage().toStrict(5000, materializer))
        .toMat(Sink.foreach(t -> socket.add(JSON.readTree(t.text()))), Keep.right())
        .mapMaterializedValue(done -> {
          done.whenComplete((d, e) -> {
            out.first().complete();
            socket.closed.complete(Done.getInstance());
          });
          return NotUsed.getInstance();
        });
    return Flow.fromSinkAndSource(in, out.second());
  }

  private static void pause(Object monitor) {
    synchronized (monitor) {
      try {
        monitor.wait(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  @Override
  public void close() {
    binding.unbind();
  }
}
