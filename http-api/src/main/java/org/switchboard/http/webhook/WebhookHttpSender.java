package org.switchboard.http.webhook;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.switchboard.asterisk.client.ClientPools;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.Stages;
import org.switchboard.engine.port.WebhookPort.Method;
import org.switchboard.engine.port.WebhookPort.WebhookException;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.port.WebhookPort.WebhookResponse;

/**
 * Sends one webhook over the Pekko HTTP client: applies the URL's connection policy (timeouts,
 * retries per {@code rc}/{@code rp}, total time {@code tt}), follows redirects (303, and 301/302
 * after POST, become GET without parameters; 307/308 repeat the method and parameters; each hop
 * is re-signed), keeps cookies per CallSid and bounds the body. Any HTTP status completes
 * normally; no response completes with {@link WebhookException}.
 */
final class WebhookHttpSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpSender.class);

  private final ClassicActorSystemProvider system;
  private final Http http;
  private final WebhookSettings settings;
  private final SignedRequestFactory requests;
  private final CallCookies cookies;
  private final WebhookMetrics metrics;
  private final Map<Duration, ConnectionPoolSettings> pools = new ConcurrentHashMap<>();
  private final Runnable poolFull;

  private record Hop(String url, Method method, List<Map.Entry<String, String>> params, int redirects) {}

  private record Received(URI url, int status, String contentType, String location, byte[] body) {}

  /** Why an attempt or request produced no usable response; {@code outcome} names the metric. */
  private enum Failure {
    CONNECT("connect_error"),
    TIMEOUT("timeout"),
    TOO_LARGE("body_too_large"),
    TOO_MANY_REDIRECTS("too_many_redirects"),
    INVALID("invalid_request"),
    OTHER("error");

    final String outcome;

    Failure(String outcome) {
      this.outcome = outcome;
    }
  }

  private static final class AttemptFailure extends RuntimeException {
    final Failure kind;

    AttemptFailure(Failure kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }
  }

  WebhookHttpSender(
      ClassicActorSystemProvider system, WebhookSettings settings, SignedRequestFactory requests,
      CallCookies cookies, WebhookMetrics metrics) {
    this.system = system;
    this.http = Http.get(system);
    this.settings = settings;
    this.poolFull = Stages.atMostEverySecond(() -> LOG.warn(
        "webhook pool of {} connections per host is full; webhooks wait for it",
        settings.maxConnections()));
    this.requests = requests;
    this.cookies = cookies;
    this.metrics = metrics;
  }

  /** Sends {@code request}; every attempt and hop carries {@code idempotencyToken}. */
  CompletionStage<WebhookResponse> send(WebhookRequest request, String idempotencyToken) {
    long started = System.nanoTime();
    CompletableFuture<WebhookResponse> result;
    try {
      WebhookTarget target = WebhookTarget.of(request.url(), settings.connection());
      long deadline = started + target.policy().totalTimeout().toNanos();
      Hop first = new Hop(target.url(), request.method(), request.params(), 0);
      result = follow(request, target.policy(), first, idempotencyToken, deadline);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(
          new AttemptFailure(Failure.INVALID, "invalid webhook: " + e.getMessage(), e));
    }
    return result
        .handle((response, error) -> finish(request, started, response, error))
        .thenCompose(Function.identity());
  }

  private CompletableFuture<WebhookResponse> follow(
      WebhookRequest request, ConnectionPolicy policy, Hop hop, String token, long deadline) {
    return attempt(request, policy, hop, token, deadline, 0).thenCompose(received -> {
      if (!isRedirect(received.status()) || received.location() == null) {
        return CompletableFuture.completedFuture(new WebhookResponse(
            received.url(), received.status(), received.contentType(), received.body()));
      }
      if (hop.redirects() >= settings.maxRedirects()) {
        throw new AttemptFailure(Failure.TOO_MANY_REDIRECTS, "more than "
            + settings.maxRedirects() + " redirects (Twilio error 11215)", null);
      }
      return follow(request, policy, redirect(hop, received), token, deadline);
    });
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static Hop redirect(Hop hop, Received received) {
    URI next;
    try {
      next = received.url().resolve(received.location().trim());
    } catch (IllegalArgumentException e) {
      throw new AttemptFailure(Failure.INVALID, "invalid redirect Location '"
          + received.location() + "'", e);
    }
    String url = next.toString();
    int hash = url.indexOf('#');
    String target = hash < 0 ? url : url.substring(0, hash);
    boolean keepMethod = received.status() == 307 || received.status() == 308
        || hop.method() == Method.GET;
    return keepMethod
        ? new Hop(target, hop.method(), hop.params(), hop.redirects() + 1)
        : new Hop(target, Method.GET, List.of(), hop.redirects() + 1);
  }

  private CompletableFuture<Received> attempt(
      WebhookRequest request, ConnectionPolicy policy, Hop hop, String token, long deadline,
      int attemptNo) {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (remainingMs <= 0) {
      return CompletableFuture.failedFuture(new AttemptFailure(Failure.TIMEOUT,
          "total time " + policy.totalTimeout().toMillis() + " ms exceeded", null));
    }
    metrics.recordAttempt(attemptNo > 0);
    return once(request, policy, hop, token, deadline, remainingMs)
        .handle((received, error) -> {
          RetryOn cause = error != null ? retryClass(error) : statusClass(received.status());
          boolean retry = cause != null && policy.retries(cause)
              && attemptNo < policy.retryCount() && deadline - System.nanoTime() > 0;
          if (retry) {
            LOG.info("CallSid {}: retrying {} after {} (attempt {} of {})", request.callSid(),
                hop.url(), error != null ? describe(error) : "HTTP " + received.status(),
                attemptNo + 2, policy.retryCount() + 1);
            return attempt(request, policy, hop, token, deadline, attemptNo + 1);
          }
          return error != null
              ? CompletableFuture.<Received>failedFuture(Failures.cause(error))
              : CompletableFuture.completedFuture(received);
        })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Received> once(
      WebhookRequest request, ConnectionPolicy policy, Hop hop, String token, long deadline,
      long remainingMs) {
    SignedRequestFactory.Prepared prepared =
        requests.prepare(request.callSid(), hop.url(), hop.method(), hop.params(), token);
    long headerWaitMs = Math.min(policy.readTimeout().toMillis(), remainingMs);
    CompletableFuture<HttpResponse> pending = Stages.whilePoolFull(
        () -> http.singleRequest(prepared.request(), http.defaultClientHttpsContext(),
            pool(policy.connectTimeout()), system.classicSystem().log()),
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(headerWaitMs),
        system.classicSystem().scheduler(),
        poolFull);
    CompletableFuture<HttpResponse> headers =
        pending.copy().orTimeout(headerWaitMs, TimeUnit.MILLISECONDS);
    headers.whenComplete((response, error) -> {
      if (error != null) {
        pending.thenAccept(late -> late.discardEntityBytes(system));
      }
    });
    return headers.thenCompose(response -> {
      cookies.store(request.callSid(), prepared.sentUrl(), setCookies(response));
      String location = response.getHeader("Location").map(HttpHeader::value).orElse(null);
      String contentType = response.entity().getContentType().equals(ContentTypes.NO_CONTENT_TYPE)
          ? null : response.entity().getContentType().toString();
      return body(response, policy, deadline)
          .thenApply(body -> new Received(prepared.sentUrl(), response.status().intValue(),
              contentType, location, body));
    });
  }

  /**
   * The response body within the size limit and the time left: taken as is when the client
   * already holds all of it (small answers usually arrive whole), streamed otherwise.
   */
  private CompletableFuture<byte[]> body(HttpResponse response, ConnectionPolicy policy,
      long deadline) {
    if (response.entity() instanceof HttpEntity.Strict strict) {
      ByteString data = strict.getData();
      if (data.size() > settings.maxResponseBytes()) {
        return CompletableFuture.failedFuture(new AttemptFailure(
            Failure.TOO_LARGE, "response body larger than limit", null));
      }
      return CompletableFuture.completedFuture(data.toArray());
    }
    long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    return Stages.direct(response.entity()
            .withSizeLimit(settings.maxResponseBytes())
            .getDataBytes()
            .idleTimeout(policy.readTimeout())
            .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system))
        .orTimeout(leftMs, TimeUnit.MILLISECONDS)
        .thenApply(ByteString::toArray);
  }

  private ConnectionPoolSettings pool(Duration connectTimeout) {
    return pools.computeIfAbsent(connectTimeout,
        ct -> ClientPools.bounded(system.classicSystem(), settings.maxConnections(), ct));
  }

  private static List<String> setCookies(HttpResponse response) {
    List<String> values = new ArrayList<>();
    for (HttpHeader header : response.getHeaders()) {
      if (header.is("set-cookie")) {
        values.add(header.value());
      }
    }
    return values;
  }

  private static RetryOn statusClass(int status) {
    if (status >= 500 && status < 600) {
      return RetryOn.STATUS_5XX;
    }
    return status >= 400 && status < 500 ? RetryOn.STATUS_4XX : null;
  }

  private static RetryOn retryClass(Throwable error) {
    return switch (classify(error)) {
      case CONNECT -> RetryOn.CONNECT;
      case TIMEOUT -> RetryOn.READ_TIMEOUT;
      default -> null;
    };
  }

  private static Failure classify(Throwable error) {
    for (Throwable t = Failures.cause(error); t != null; t = t.getCause()) {
      if (t instanceof AttemptFailure failure) {
        return failure.kind;
      }
      if (t instanceof EntityStreamSizeException) {
        return Failure.TOO_LARGE;
      }
      if (t instanceof TimeoutException) {
        return Failure.TIMEOUT;
      }
      if (t instanceof StreamTcpException || t instanceof ConnectException) {
        return Failure.CONNECT;
      }
    }
    return Failure.OTHER;
  }

  private static String describe(Throwable error) {
    Throwable t = Failures.cause(error);
    return switch (classify(t)) {
      case TIMEOUT -> t instanceof AttemptFailure ? t.getMessage() : "read timeout";
      case TOO_LARGE -> "response body larger than limit";
      default -> t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    };
  }

  private CompletableFuture<WebhookResponse> finish(
      WebhookRequest request, long started, WebhookResponse response, Throwable error) {
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (error == null) {
      metrics.recordRequest(request.purpose(), (response.status() / 100) + "xx", latencyMs);
      if (response.status() >= 400) {
        logFailure(request, "HTTP " + response.status() + " from " + response.finalUrl());
      }
      return CompletableFuture.completedFuture(response);
    }
    Failure kind = classify(error);
    String message = kind == Failure.TOO_LARGE
        ? "response body larger than " + settings.maxResponseBytes() + " bytes"
        : describe(error);
    metrics.recordRequest(request.purpose(), kind.outcome, latencyMs);
    logFailure(request, message);
    return CompletableFuture.failedFuture(
        new WebhookException(request.url(), kind.outcome + ": " + message, Failures.cause(error)));
  }

  private static void logFailure(WebhookRequest request, String message) {
    MDC.put("callSid", String.valueOf(request.callSid()));
    try {
      LOG.warn("CallSid {}: {} webhook {} {} failed: {}", request.callSid(), request.purpose(),
          request.method(), request.url(), message);
    } finally {
      MDC.remove("callSid");
    }
  }
}
