package org.switchboard.http.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
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

/**
 * A Realtime agent on 127.0.0.1 that follows the published event shapes: {@code session.created}
 * on connect, {@code session.updated} echoing each {@code session.update},
 * {@code conversation.item.truncated} for each truncate; the caller's appended audio is
 * collected, every other client event queued for the test, which plays the model's part
 * (deltas, VAD events, function calls) with {@link Connection#send}. {@code /refuse} answers 401.
 */
public final class FakeRealtimeServer extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One client connection. */
  public static final class Connection {
    public final Optional<String> authorization;
    public final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Done> closedByClient = new CompletableFuture<>();
    private final ByteArrayOutputStream appended = new ByteArrayOutputStream();
    private final AtomicInteger appends = new AtomicInteger();
    private final BoundedSourceQueue<Message> out;
    private final AtomicInteger ids = new AtomicInteger();
    volatile BiConsumer<Connection, byte[]> onAppend = (c, audio) -> { };
    /** False: appended audio is not kept (a benchmark's hours of it would fill the heap). */
    volatile boolean keepAudio = true;
    private volatile String inputFormat;

    private Connection(Optional<String> authorization, BoundedSourceQueue<Message> out) {
      this.authorization = authorization;
      this.out = out;
    }

    /** Sends one server event. */
    public void send(String json) {
      out.offer(TextMessage.create(json));
    }

    /** Sends a server event built from {@code event}, with a fresh {@code event_id}. */
    public void send(ObjectNode event) {
      event.put("event_id", "event_" + ids.incrementAndGet());
      send(event.toString());
    }

    /** Closes the socket from the server's side. */
    public void close() {
      out.complete();
    }

    /** A {@code response.audio.delta} (beta name) or {@code response.output_audio.delta} (GA). */
    public void audioDelta(String responseId, String itemId, byte[] audio, boolean ga) {
      send(JSON.createObjectNode().put("type", ga ? "response.output_audio.delta"
              : "response.audio.delta").put("response_id", responseId).put("item_id", itemId)
          .put("output_index", 0).put("content_index", 0)
          .put("delta", Base64.getEncoder().encodeToString(audio)));
    }

    /** {@code input_audio_buffer.speech_started}. */
    public void speechStarted(String itemId, long audioStartMs) {
      send(JSON.createObjectNode().put("type", "input_audio_buffer.speech_started")
          .put("audio_start_ms", audioStartMs).put("item_id", itemId));
    }

    /** {@code input_audio_buffer.speech_stopped}. */
    public void speechStopped(String itemId, long audioEndMs) {
      send(JSON.createObjectNode().put("type", "input_audio_buffer.speech_stopped")
          .put("audio_end_ms", audioEndMs).put("item_id", itemId));
    }

    /** {@code response.function_call_arguments.done} then {@code response.output_item.done}. */
    public void functionCall(String callId, String name, String arguments) {
      send(JSON.createObjectNode().put("type", "response.function_call_arguments.done")
          .put("response_id", "resp_fc").put("item_id", "item_" + callId).put("output_index", 0)
          .put("call_id", callId).put("name", name).put("arguments", arguments));
      ObjectNode done = JSON.createObjectNode().put("type", "response.output_item.done")
          .put("response_id", "resp_fc").put("output_index", 0);
      done.putObject("item").put("id", "item_" + callId).put("type", "function_call")
          .put("status", "completed").put("call_id", callId).put("name", name)
          .put("arguments", arguments);
      send(done);
    }

    /** The next client event of {@code type} within 10 s (earlier ones of other types skipped). */
    public JsonNode next(String type) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonNode e = events.poll(50, TimeUnit.MILLISECONDS);
        if (e != null && e.path("type").asText().equals(type)) {
          return e;
        }
      }
      throw new AssertionError("the agent received no " + type + " within 10 s");
    }

    /** PCM (or µ-law) the client appended so far. */
    public byte[] appended() {
      synchronized (appended) {
        return appended.toByteArray();
      }
    }

    /**
     * The input format the last accepted {@code session.update} set, in the beta names ({@code
     * pcm16}, {@code g711_ulaw}), whichever shape it came in; null before one.
     */
    public String inputFormat() {
      return inputFormat;
    }

    /** Appends received so far. */
    int appends() {
      return appends.get();
    }

    private void onClientText(String text) throws Exception {
      JsonNode event = JSON.readTree(text);
      switch (event.path("type").asText()) {
        case "input_audio_buffer.append" -> {
          byte[] audio = Base64.getDecoder().decode(event.path("audio").asText());
          if (keepAudio) {
            synchronized (appended) {
              appended.writeBytes(audio);
            }
          }
          appends.incrementAndGet();
          onAppend.accept(this, audio);
          return;
        }
        case "session.update" -> {
          String format = negotiatedFormat(event.path("session"));
          if (format == null) {
            ObjectNode error = JSON.createObjectNode().put("type", "error");
            error.putObject("error").put("type", "invalid_request_error")
                .put("code", "invalid_session_update")
                .put("message", "session.update is neither the beta nor the GA shape");
            send(error);
          } else {
            inputFormat = format;
            ObjectNode updated = JSON.createObjectNode().put("type", "session.updated");
            updated.set("session", event.path("session"));
            send(updated);
          }
        }
        case "conversation.item.truncate" -> send(JSON.createObjectNode()
            .put("type", "conversation.item.truncated")
            .put("item_id", event.path("item_id").asText())
            .put("content_index", 0).put("audio_end_ms", event.path("audio_end_ms").asLong()));
        default -> { }
      }
      events.add(event);
    }
  }

  /**
   * The input format of a {@code session.update} in either published shape: beta ({@code
   * input_audio_format} at the top, no {@code type}) or GA ({@code type: realtime}, {@code
   * audio.input.format.type} {@code audio/pcm} at 24000 or {@code audio/pcmu}); null for anything
   * else, a mix of both included.
   */
  static String negotiatedFormat(JsonNode session) {
    boolean ga = session.path("type").asText("").equals("realtime");
    boolean beta = session.has("input_audio_format");
    if (ga == beta) {
      return null;
    }
    if (beta) {
      String format = session.path("input_audio_format").asText("");
      return format.equals("pcm16") || format.equals("g711_ulaw") ? format : null;
    }
    if (session.has("modalities") || session.has("voice") || session.has("turn_detection")) {
      return null;
    }
    JsonNode format = session.path("audio").path("input").path("format");
    return switch (format.path("type").asText("")) {
      case "audio/pcm" -> format.path("rate").asInt(24000) == 24000 ? "pcm16" : null;
      case "audio/pcmu" -> "g711_ulaw";
      default -> null;
    };
  }

  final LinkedBlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
  private final Materializer materializer;
  final int port;
  private final ServerBinding binding;

  public FakeRealtimeServer(ActorSystem<?> system) throws Exception {
    this.materializer = Materializer.matFromSystem(system);
    binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(concat(
            path("refuse", () -> complete(StatusCodes.UNAUTHORIZED, "bad key")),
            pathPrefix("v1", () -> path("realtime", () ->
                extractRequest(r -> handleWebSocketMessages(connection(r)))))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    this.port = binding.localAddress().getPort();
  }

  /** The agent's URL, with a model query like the real one. */
  public String url() {
    return "ws://127.0.0.1:" + port + "/v1/realtime?model=fake-realtime";
  }

  /** A URL that refuses the WebSocket with 401. */
  String refusingUrl() {
    return "ws://127.0.0.1:" + port + "/refuse";
  }

  /** The next connection within 30 s (a call on a loaded machine may take that long). */
  public Connection accept() throws InterruptedException {
    Connection c = connections.poll(30, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection to the agent within 30 s");
    }
    return c;
  }

  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Flow<Message, Message, NotUsed> connection(HttpRequest request) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(100_000).preMaterialize(materializer);
    Connection c = new Connection(request.getHeader("Authorization").map(h -> h.value()),
        out.first());
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, m -> m.asTextMessage().toStrict(5000, materializer))
        .toMat(Sink.foreach(t -> c.onClientText(t.getStrictText())), Keep.right())
        .mapMaterializedValue(done -> {
          done.whenComplete((d, e) -> c.closedByClient.complete(Done.getInstance()));
          return NotUsed.getInstance();
        });
    ObjectNode created = JSON.createObjectNode().put("type", "session.created");
    created.putObject("session").put("object", "realtime.session").put("model", "fake-realtime");
    c.send(created);
    connections.add(c);
    return Flow.fromSinkAndSource(in, out.second());
  }
}
