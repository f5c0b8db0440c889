package org.switchboard.asterisk.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.Stages;

/**
 * Sends one ARI REST request over the event socket when it carries commands ({@link SocketRest}),
 * else over Pekko HTTP's pooled client (bounded by {@code maxConnections}), with the server's
 * credentials and request timeout. A 2xx answer completes with the body bytes;
 * anything else completes exceptionally with {@link AriCommandException}: Asterisk's status and
 * {@code message} (or {@code error}), or status 0 when no answer came in time.
 */
final class AriHttp {
  private static final int MAX_ERROR_TEXT = 300;

  private final AriServerConfig config;
  private final Http http;
  private final Materializer materializer;
  private final ConnectionPoolSettings pool;
  private final ActorSystem system;
  private final AriUris uris;
  private final HttpHeader authorization;
  private final Runnable poolFull;
  private final SocketRest socket;
  private final Resend resend;
  private volatile java.util.function.BiConsumer<String, Duration> latency = (s, d) -> {};

  /**
   * The largest answer read: Pekko's client default (8 MiB) holds {@code GET /channels} of about
   * 20,000 channels (~420 bytes each), so a server with more could never be resynced again after a
   * reconnect, and every call on it would be stranded.
   */
  static final long MAX_ANSWER_BYTES = 512L * 1024 * 1024;

  AriHttp(ActorSystem system, AriServerConfig config) {
    this(system, config, ClientPools.bounded(system, config.maxConnections()));
  }

  /** Requests over {@code pool} (a refusal lane's, {@link ClientPools#lane}). */
  AriHttp(ActorSystem system, AriServerConfig config, ConnectionPoolSettings pool) {
    this.system = system;
    this.config = config;
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.pool = pool;
    this.poolFull = Stages.atMostEverySecond(() -> system.log().warning(
        "ARI {}: request pool of {} connections is full; commands wait for it",
        config.id(), config.maxConnections()));
    this.resend = new Resend(config.id(), this::overHttp, Resend.DEFAULT_PAUSES);
    this.socket = new SocketRest(config.id(), config.restTransport(),
        config.maxConnections() * ClientPools.QUEUED_PER_CONNECTION, config.requestTimeout());
    this.uris = new AriUris(config.baseUrl(),
        config.credentials() instanceof AriServerConfig.ApiKey key ? key.key() : null);
    this.authorization = config.credentials() instanceof AriServerConfig.Basic basic
        ? Authorization.basic(basic.user(), basic.password())
        : null;
  }

  String serverId() {
    return config.id();
  }

  /** The event socket's side of the commands (opened, closed and read by the event stream). */
  SocketRest socket() {
    return socket;
  }

  /** Percent-encodes one path segment (ids are chosen by callers and may hold anything). */
  static String seg(String value) {
    return UriEncoding.component(value);
  }

  /**
   * Sends {@code method path?query} with an optional JSON body.
   *
   * @param operation for errors and logs, e.g. {@code POST /channels/{id}/answer}
   * @param query parameters in order; null values are left out
   */
  CompletionStage<byte[]> call(
      HttpMethod method, String operation, String path, Map<String, ?> query, Object jsonBody) {
    return call(method, operation, path, query, jsonBody, true);
  }

  /** {@link #call} over HTTP only: the answer is binary, which the event socket does not carry. */
  CompletionStage<byte[]> binary(String operation, String path) {
    return call(HttpMethods.GET, operation, path, Map.of(), null, false);
  }

  private CompletionStage<byte[]> call(HttpMethod method, String operation, String path,
      Map<String, ?> query, Object jsonBody, boolean socketAllowed) {
    byte[] json;
    try {
      json = jsonBody == null ? null : AriJson.MAPPER.writeValueAsBytes(jsonBody);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new AriCommandException(serverId(), operation, e));
    }
    long started = System.nanoTime();
    // A path with an encoded character stays on HTTP: Asterisk documents no decoding of a
    // RESTRequest's path (Switchboard's own ids never need one).
    CompletableFuture<SocketRest.Answer> answer = socketAllowed && path.indexOf('%') < 0
        ? socket.send(method.value(), AriUris.relative(path, query), json, config.requestTimeout())
        : null;
    if (answer == null) {
      answer = overHttp(method.value(), path, query, json);
    } else {
      // A frame the socket lost (closed before the answer, or not writable) goes over HTTP.
      answer = answer.exceptionallyCompose(error -> Failures.cause(error) instanceof Resend.Lost lost
          ? resend.after(lost, operation, method.value(), path, query, json)
          : CompletableFuture.failedFuture(error));
    }
    // No answer in time: a command Asterisk may have run is looked up before it fails.
    answer = answer.exceptionallyCompose(error -> Failures.cause(error) instanceof TimeoutException
        ? resend.afterNoAnswer(Failures.cause(error), operation, method.value(), path, query)
        : CompletableFuture.failedFuture(error));
    return answer
        .handle(
            (a, error) -> {
              latency.accept(serverId(), Duration.ofNanos(System.nanoTime() - started));
              return check(operation, a, error);
            });
  }

  /** One HTTP request; fails with {@link IllegalArgumentException} when it cannot be built. */
  private CompletableFuture<SocketRest.Answer> overHttp(
      String method, String path, Map<String, ?> query, byte[] json) {
    long timeoutMillis = config.requestTimeout().toMillis();
    HttpRequest request;
    try {
      request = HttpRequest.create().withMethod(HttpMethods.lookup(method).orElseThrow())
          .withUri(uris.uri(path, query));
      if (authorization != null) {
        request = request.addHeader(authorization);
      }
      if (json != null) {
        request = request.withEntity(ContentTypes.APPLICATION_JSON, json);
      }
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.toString(), e));
    }
    // The socket's answer already times out (and leaves its table then); HTTP's gets it here.
    return send(request, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis))
        .thenCompose(response -> answer(response, timeoutMillis))
        .copy()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Hands {@code request} to the pool, waiting while it is full (see {@link Stages#whilePoolFull}). */
  private CompletableFuture<HttpResponse> send(HttpRequest request, long deadline) {
    return Stages.whilePoolFull(
        () -> http.singleRequest(request, http.defaultClientHttpsContext(), pool, system.log()),
        deadline,
        system.scheduler(),
        poolFull);
  }

  /** The status and whole body: as is when the client already holds all of it. */
  private CompletableFuture<SocketRest.Answer> answer(HttpResponse response, long timeoutMillis) {
    int status = response.status().intValue();
    if (response.entity() instanceof HttpEntity.Strict strict) {
      return CompletableFuture.completedFuture(
          new SocketRest.Answer(status, strict.getData().toArray()));
    }
    return Stages.direct(response.entity().withSizeLimit(MAX_ANSWER_BYTES)
            .toStrict(timeoutMillis, MAX_ANSWER_BYTES, materializer))
        .thenApply(strict -> new SocketRest.Answer(status, strict.getData().toArray()));
  }

  /** Reports every request's round trip (answered or not) to {@code listener}. */
  void onLatency(java.util.function.BiConsumer<String, Duration> listener) {
    this.latency = listener;
  }

  /** {@link #call} for commands whose answer body does not matter (204 and the like). */
  CompletionStage<Done> command(
      HttpMethod method, String operation, String path, Map<String, ?> query) {
    return call(method, operation, path, query, null).thenApply(body -> Done.getInstance());
  }

  /** {@link #call} whose 2xx body is one model record. */
  <T> CompletionStage<T> json(
      HttpMethod method, String operation, String path, Map<String, ?> query, Class<T> type) {
    return call(method, operation, path, query, null)
        .thenApply(body -> decode(operation, () -> AriJson.read(body, type)));
  }

  /** {@link #call} whose 2xx body is a list of model records. */
  <T> CompletionStage<List<T>> jsonList(String operation, String path, Class<T> type) {
    return call(HttpMethods.GET, operation, path, Map.of(), null)
        .thenApply(body -> decode(operation, () -> AriJson.readList(body, type)));
  }

  private <T> T decode(String operation, java.util.function.Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (RuntimeException e) {
      throw new AriCommandException(serverId(), operation, e);
    }
  }

  private byte[] check(String operation, SocketRest.Answer answer, Throwable error) {
    if (error != null) {
      Throwable cause = Failures.cause(error);
      if (cause instanceof AriCommandException ari) {
        throw ari;
      }
      if (cause instanceof TimeoutException) {
        cause = new TimeoutException("no answer within " + config.requestTimeout().toMillis() + " ms");
      }
      throw new AriCommandException(serverId(), operation, cause);
    }
    if (answer.status() >= 200 && answer.status() < 300) {
      return answer.body();
    }
    throw new AriCommandException(serverId(), operation, answer.status(), errorText(answer.body()));
  }

  /** Asterisk's {@code message}, or {@code error} (allocation failures), or the raw text. */
  static String errorText(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).trim();
    try {
      JsonNode node = AriJson.MAPPER.readTree(text);
      if (node != null && node.isObject()) {
        if (node.hasNonNull("message")) {
          return node.get("message").asText();
        }
        if (node.hasNonNull("error")) {
          return node.get("error").asText();
        }
      }
    } catch (Exception e) {
      // Not JSON: fall through to the raw text.
    }
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
  }

}
