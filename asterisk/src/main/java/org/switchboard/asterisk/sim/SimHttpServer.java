package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The simulator's HTTP front: ARI REST under {@code /ari}, the event WebSocket at
 * {@code /ari/events}, the control API under {@code /sim}. Authentication is checked on every
 * {@code /ari} request.
 */
final class SimHttpServer {
  private static final System.Logger LOG = System.getLogger(SimHttpServer.class.getName());
  private static final int SOCKET_BUFFER = 1 << 16;
  private final ActorSystem system;
  private final SimCore core;
  private final AriDispatcher dispatcher;
  private final ControlApi control;
  private final SocketRequests socketRequests;
  private final MediaSockets mediaSockets;

  SimHttpServer(ActorSystem system, SimCore core, AriDispatcher dispatcher, ControlApi control) {
    this.system = system;
    this.core = core;
    this.dispatcher = dispatcher;
    this.control = control;
    this.socketRequests = new SocketRequests(core, dispatcher, core.config.asteriskId());
    this.mediaSockets = new MediaSockets(system, core);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    Map<String, String> query = new LinkedHashMap<>();
    request.getUri().query().toMultiMap().forEach((k, v) -> query.put(k, String.join(",", v)));
    if (path.startsWith("/sim/")) {
      return body(request).thenApply(b -> control.handle(request.method().value(), path, b, query));
    }
    if (path.startsWith("/media/")) {
      return CompletableFuture.completedFuture(
          mediaSockets.handle(request, path.substring("/media/".length())));
    }
    if (!path.equals("/ari") && !path.startsWith("/ari/")) {
      return CompletableFuture.completedFuture(json(404, AriJson.message("Resource not found")));
    }
    if (!authorized(request, query)) {
      request.discardEntityBytes(system);
      log(request, "", 401);
      return CompletableFuture.completedFuture(json(401,
          AriJson.message("Authentication required"))
          .addHeader(RawHeader.create("WWW-Authenticate",
              "Basic realm=\"Asterisk REST Interface\"")));
    }
    if (path.equals("/ari/events")) {
      return CompletableFuture.completedFuture(events(request, query));
    }
    List<String> segments = segments(path.substring("/ari".length()));
    return body(request).thenCompose(text -> {
      AriRequest r;
      try {
        r = parse(request.method().value(), segments, query, text);
      } catch (AriError e) {
        log(request, text, e.status);
        return CompletableFuture.completedFuture(json(e.status, e.body));
      }
      return core.media.sounds.prefetch(ChannelsResource.mediaList(r))
          .thenCompose(done -> dispatcher.dispatch(r))
          .thenCompose(reply -> {
            log(request, text, reply.status());
            return reply == AriRequest.Reply.NO_ANSWER
                ? new CompletableFuture<HttpResponse>()
                : CompletableFuture.completedFuture(toResponse(reply));
          });
    });
  }

  private CompletionStage<String> body(HttpRequest request) {
    return request.entity().toStrict(10_000, system)
        .thenApply(s -> s.getData().utf8String());
  }

  private void log(HttpRequest request, String body, int status) {
    core.log.request(new SimLog.Request(core.clock.now(), request.method().value(),
        request.getUri().path(), request.getUri().rawQueryString().orElse(""), body, status,
        SimLog.HTTP));
  }

  private boolean authorized(HttpRequest request, Map<String, String> query) {
    String expected = core.config.user() + ":" + core.config.password();
    String apiKey = query.get("api_key");
    if (apiKey != null) {
      return apiKey.equals(expected);
    }
    Optional<HttpHeader> h = request.getHeader("Authorization");
    if (h.isEmpty() || !h.get().value().startsWith("Basic ")) {
      return false;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(h.get().value().substring(6).trim()),
          StandardCharsets.UTF_8);
      return decoded.equals(expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The non-empty segments of a resource path ({@code channels/x/answer} or with slashes). */
  static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    return segments;
  }

  static AriRequest parse(String method, List<String> segments,
      Map<String, String> query, String body) {
    Map<String, String> params = new HashMap<>(query);
    Map<String, String> variables = new HashMap<>();
    JsonNode json = null;
    if (!body.isBlank()) {
      try {
        json = AriJson.MAPPER.readTree(body);
      } catch (java.io.IOException e) {
        throw AriError.of(400, "Error parsing request body");
      }
      if (json != null && json.isObject()) {
        json.fields().forEachRemaining(f -> {
          if (f.getKey().equals("variables") && f.getValue().isObject()) {
            f.getValue().fields().forEachRemaining(v -> variables.put(v.getKey(),
                v.getValue().asText()));
          } else if (f.getValue().isValueNode()) {
            params.put(f.getKey(), f.getValue().asText());
          } else if (f.getValue().isArray()) {
            List<String> items = new ArrayList<>();
            f.getValue().forEach(i -> items.add(i.asText()));
            params.put(f.getKey(), String.join(",", items));
          }
        });
      } else {
        throw AriError.of(400, "Error parsing request body");
      }
    }
    return new AriRequest(method, segments, params, variables, json);
  }

  private HttpResponse events(HttpRequest request, Map<String, String> query) {
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      return json(400, AriJson.message("WebSocket upgrade required"));
    }
    String app = query.get("app");
    if (app == null || app.isBlank()) {
      return json(400, AriJson.message("Missing parameter app"));
    }
    if (core.locked(() -> core.hub.refusing())) {
      LOG.log(System.Logger.Level.DEBUG, "event socket for app {0} refused: link down", app);
      return json(503, AriJson.message("Event link down (simulated outage)"));
    }
    boolean subscribeAll = "true".equalsIgnoreCase(query.get("subscribeAll"));
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(SOCKET_BUFFER).preMaterialize(system);
    BoundedSourceQueue<Message> queue = out.first();
    EventHub.Socket socket = new EventHub.Socket() {
      @Override
      public boolean send(String text) {
        return queue.offer(TextMessage.create(text)).isEnqueued();
      }

      private final java.util.concurrent.atomic.AtomicBoolean closed =
          new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public void close() {
        // A socket stays in the hub until its stream's termination is seen: when the client went
        // away just before, the queue is already done and completing it again throws.
        if (closed.compareAndSet(false, true)) {
          try {
            queue.complete();
          } catch (IllegalStateException clientWentAwayFirst) {
            // nothing left to close
          }
        }
      }
    };
    Source<Message, NotUsed> outgoing = out.second().watchTermination((mat, done) -> {
      done.whenComplete((d, e) -> core.locked(() -> core.hub.disconnected(app, socket)));
      return mat;
    });
    // RESTRequest frames, run one after another (SocketRequests); binary frames are drained.
    Sink<Message, ?> incoming = Flow.<Message>create()
        .mapAsync(1, m -> {
          if (!m.isText()) {
            return m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), system)
                .thenApply(done -> (Void) null);
          }
          TextMessage text = m.asTextMessage();
          CompletionStage<String> whole = text.isStrict()
              ? CompletableFuture.completedFuture(text.getStrictText())
              : text.toStrict(10_000, Materializer.matFromSystem(system))
                  .thenApply(strict -> strict.getStrictText());
          return whole.thenCompose(t -> socketRequests.handle(app, socket, t));
        })
        .to(Sink.ignore());
    core.locked(() -> core.hub.connect(app, subscribeAll, socket));
    LOG.log(System.Logger.Level.DEBUG, "event socket for app {0} (subscribeAll={1})", app,
        subscribeAll);
    return upgrade.get().handleMessagesWith(Flow.fromSinkAndSourceCoupled(incoming, outgoing));
  }

  private static HttpResponse toResponse(AriRequest.Reply reply) {
    if (reply.binary() != null) {
      return HttpResponse.create().withStatus(reply.status()).withEntity(HttpEntities.create(
          ContentTypes.create(MediaTypes.customBinary("audio", "wav", false)), reply.binary()));
    }
    if (reply.body() == null) {
      return HttpResponse.create().withStatus(reply.status());
    }
    return json(reply.status(), reply.body());
  }

  static HttpResponse json(int status, JsonNode body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, AriJson.write(body)));
  }

  static ObjectNode obj() {
    return AriJson.object();
  }
}
