package org.switchboard.http.webhook;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange of a webhook on the JDK's {@link HttpClient} (HTTP/1.1, no redirects, no
 * cookie handler: the sender does those). Chosen over Pekko HTTP's host pool, which queues a
 * request until a connection is free with no way to withdraw it: a request whose caller had timed
 * out was still sent minutes later, and after a failed connect the whole pool backs off (up to
 * {@code max-connection-backoff}), so requests to an application that came back waited and then
 * arrived in one burst. Here nothing is queued inside the client: {@link HostGate} admits a request
 * only while its deadline holds, the JDK opens or reuses a connection at once (a refused connection
 * fails in milliseconds), and a request that times out is cancelled with its connection.
 */
final class WebhookTransport {
  /** The parts of a response the sender reads. */
  record Answer(int status, String contentType, String location, List<String> setCookies,
      byte[] body) {}

  /** The body is larger than the limit. */
  static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge(int limit) {
      super("response body larger than " + limit + " bytes");
    }
  }

  private final Executor executor;
  private final int maxBodyBytes;
  private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  WebhookTransport(Executor executor, int maxBodyBytes) {
    this.executor = executor;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sends {@code prepared}: fails with {@link java.net.ConnectException} when no connection could
   * be made within {@code connectTimeout}, with {@link java.net.http.HttpTimeoutException} when the
   * response headers do not come within {@code headerWait}, with {@link TimeoutException} when the
   * body is not complete by {@code deadlineNanos}; each cancels the exchange and closes its
   * connection.
   */
  CompletableFuture<Answer> exchange(SignedRequestFactory.Prepared prepared,
      Duration connectTimeout, Duration headerWait, long deadlineNanos) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(prepared.sentUrl())
        .timeout(headerWait)
        .method(prepared.method(), prepared.body().length == 0 && prepared.method().equals("GET")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(prepared.body()));
    for (Map.Entry<String, String> header : prepared.headers()) {
      builder.header(header.getKey(), header.getValue());
    }
    LimitedBody body = new LimitedBody(maxBodyBytes);
    CompletableFuture<HttpResponse<byte[]>> sent =
        client(connectTimeout).sendAsync(builder.build(), info -> body);
    // The exchange's own steps run where they happen (client(): the calling thread, then the
    // client's selector thread as the answer arrives); what follows the answer runs on the
    // node's executor, where the sender and the outbox (journal writes) expect to run: one
    // hand-off per exchange.
    CompletableFuture<Answer> answered = new CompletableFuture<>();
    sent.thenCompose(response -> answer(response, body, deadlineNanos))
        .whenComplete((answer, error) -> executor.execute(() -> {
          if (error != null) {
            answered.completeExceptionally(error);
          } else {
            answered.complete(answer);
          }
        }));
    return answered;
  }

  private static CompletableFuture<Answer> answer(HttpResponse<byte[]> response, LimitedBody body,
      long deadlineNanos) {
    long leftNanos = deadlineNanos - System.nanoTime();
    return body.result.orTimeout(Math.max(1, leftNanos), TimeUnit.NANOSECONDS)
        .whenComplete((bytes, error) -> {
          if (error != null) {
            body.cancel();
          }
        })
        .thenApply(bytes -> new Answer(response.statusCode(),
            response.headers().firstValue("content-type").orElse(null),
            response.headers().firstValue("location").orElse(null),
            response.headers().allValues("set-cookie"), bytes));
  }

  /**
   * A client per connect timeout. Its executor runs each task at once on the thread that hands
   * it over: the JDK already runs its tasks inline on any thread but its selector's, and hands
   * over from the selector thread only (each answer's headers, its body, the completion): with the
   * node's dispatcher there, each exchange woke dispatcher threads three or four times (JDK
   * tasks were 14 % of the dispatcher's samples, docs/performance.md). On the selector thread
   * run only the JDK's own parsing and {@link LimitedBody}; {@link #exchange} hands the answer to
   * the node's executor.
   */
  private HttpClient client(Duration connectTimeout) {
    return clients.computeIfAbsent(connectTimeout, ct -> HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(ct)
        .executor(Runnable::run)
        .build());
  }

  /** The URI a request is admitted under: one gate per scheme, host and port. */
  static String hostKey(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /**
   * Collects the body up to {@code limit} bytes; beyond it, or when cancelled, gives up the
   * subscription (the JDK then closes the connection) and fails. {@link #result} completes when
   * the body is complete, whereas the response future completes as soon as the headers are in.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      // The response completes with its headers; the body is awaited through result.
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (cancelled) {
        return;
      }
      for (ByteBuffer item : items) {
        if (bytes.size() + item.remaining() > limit) {
          cancel();
          result.completeExceptionally(new BodyTooLarge(limit));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
