package org.switchboard.http.webhook;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.Stages;
import org.switchboard.engine.port.WebhookPort.WebhookException;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.port.WebhookPort.WebhookResponse;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Sends one webhook: applies the URL's connection policy (timeouts, retries per {@code rc}/{@code
 * rp}, total time {@code tt}), follows redirects (303, and 301/302 after POST, become GET without
 * parameters; 307/308 repeat the method and parameters; each hop is re-signed), keeps cookies per
 * CallSid and bounds the body. Each attempt is admitted by {@link HostGate} (at most {@code
 * max-connections} per host, waiting no longer than the attempt's deadline) and sent by {@link
 * WebhookTransport}, so an attempt is sent at most once and never after its deadline. Any HTTP
 * status completes normally; no response completes with {@link WebhookException} carrying
 * Twilio's 11205 for a failed connection or a timeout.
 */
final class WebhookHttpSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpSender.class);

  private final WebhookSettings settings;
  private final SignedRequestFactory requests;
  private final CallCookies cookies;
  private final WebhookMetrics metrics;
  private final WebhookTransport transport;
  private final HostGate gate;
  private volatile Consumer<String> hostAnswered = host -> {};

  private record Hop(String url, Method method, List<Map.Entry<String, String>> params, int redirects) {}

  private record Received(URI url, int status, String contentType, String location, byte[] body) {}

  /** How an attempt failed, for {@code switchboard_webhook_failures_total}. */
  static final String REFUSED = "refused";

  static final String CONNECT_TIMEOUT = "connect_timeout";
  static final String TIMEOUT = "timeout";

  /** An attempt is not started with less time than this left: it could not be answered. */
  private static final long MIN_EXCHANGE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

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
    this.settings = settings;
    this.gate = new HostGate(settings.maxConnections(), Stages.atMostEverySecond(() -> LOG.warn(
        "{} webhooks in flight to one host; more wait for a connection until their deadline",
        settings.maxConnections())));
    this.transport =
        new WebhookTransport(system.classicSystem().dispatcher(), settings.maxResponseBytes());
    this.requests = requests;
    this.cookies = cookies;
    this.metrics = metrics;
  }

  /** Runs {@code listener} with the host ({@code scheme://authority}) of every HTTP answer. */
  void onHostAnswered(Consumer<String> listener) {
    this.hostAnswered = listener;
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
    metrics.recordAttempt(request.purpose(), attemptNo > 0);
    return once(request, policy, hop, token, deadline, remainingMs)
        .handle((received, error) -> {
          recordOutcome(request, received, error);
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
    long headerDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(headerWaitMs);
    String host = WebhookTransport.hostKey(prepared.sentUrl());
    return gate.acquire(host, headerDeadline - MIN_EXCHANGE_NANOS).thenCompose(permit -> {
      long leftNanos = headerDeadline - System.nanoTime();
      if (leftNanos < MIN_EXCHANGE_NANOS) {
        permit.release();
        return CompletableFuture.failedFuture(new TimeoutException(
            "no connection free before the deadline"));
      }
      CompletableFuture<WebhookTransport.Answer> answer;
      try {
        answer = transport.exchange(prepared, policy.connectTimeout(),
            Duration.ofNanos(leftNanos), deadline);
      } catch (RuntimeException e) {
        permit.release();
        return CompletableFuture.failedFuture(
            new AttemptFailure(Failure.INVALID, "invalid webhook: " + e.getMessage(), e));
      }
      answer.whenComplete((a, error) -> permit.release());
      boolean deadlineFirst = leftNanos < policy.connectTimeout().toNanos();
      return answer.exceptionallyCompose(error -> CompletableFuture.failedFuture(
          deadlineFirst && connectTimedOut(error) ? new TimeoutException(
              "deadline passed while connecting") : Failures.cause(error)))
          .thenApply(a -> {
            hostAnswered.accept(host);
            cookies.store(request.callSid(), prepared.sentUrl(), a.setCookies());
            return new Received(prepared.sentUrl(), a.status(), a.contentType(), a.location(),
                a.body());
          });
    });
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
      if (t instanceof WebhookTransport.BodyTooLarge) {
        return Failure.TOO_LARGE;
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
        return Failure.CONNECT;
      }
      if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
        return Failure.TIMEOUT;
      }
    }
    return Failure.OTHER;
  }

  private static String describe(Throwable error) {
    Throwable t = Failures.cause(error);
    return switch (classify(t)) {
      case TIMEOUT -> t instanceof AttemptFailure || t instanceof TimeoutException
          ? t.getMessage() : "read timeout";
      case CONNECT -> connectTimedOut(t) ? "connect timeout" : "connection refused";
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
    int code = kind == Failure.CONNECT || kind == Failure.TIMEOUT
        ? WebhookException.HTTP_CONNECTION_FAILURE : WebhookException.HTTP_RETRIEVAL_FAILURE;
    return CompletableFuture.failedFuture(new WebhookException(
        request.url(), kind.outcome + ": " + message, Failures.cause(error), code));
  }

  /** Counts a failed attempt by kind: refused, connect_timeout, timeout, 4xx, 5xx or other. */
  private void recordOutcome(WebhookRequest request, Received received, Throwable error) {
    if (error == null) {
      if (received.status() >= 400) {
        metrics.recordAttemptFailure(request.purpose(), (received.status() / 100) + "xx");
      }
      return;
    }
    Failure kind = classify(error);
    String failure = switch (kind) {
      case CONNECT -> connectTimedOut(error) ? CONNECT_TIMEOUT : REFUSED;
      case TIMEOUT -> TIMEOUT;
      default -> kind.outcome;
    };
    metrics.recordAttemptFailure(request.purpose(), failure);
  }

  /**
   * Whether {@code error} (null for an answer) means the host gave no answer: no connection could
   * be made, or none was free in time, the answer did not come in time, or the connection closed
   * without one (a kept-alive connection the server had closed: "header parser received no
   * bytes"). An answer that was refused here (too large, too many redirects, invalid) is one.
   */
  static boolean unanswered(Throwable error) {
    if (error == null) {
      return false;
    }
    Failure kind = classify(error);
    return kind == Failure.CONNECT || kind == Failure.TIMEOUT || kind == Failure.OTHER;
  }

  private static boolean connectTimedOut(Throwable error) {
    for (Throwable t = Failures.cause(error); t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
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
