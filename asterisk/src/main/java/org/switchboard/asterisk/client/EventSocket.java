package org.switchboard.asterisk.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * One ARI event WebSocket on the JDK's WebSocket client: the text messages as a {@link Source}
 * with backpressure down to the socket (the next frame is requested only once the previous one
 * was taken by the stream). Pekko HTTP's client materialized a sub-stream per message (split,
 * prefix and concatenate for every frame; ~15 % of the CPU samples at hundreds of calls a second);
 * the JDK client's own hand-offs cost about as much in the load test, but it lets a dead peer be
 * detected (below), which Pekko's keep-alive did not.
 *
 * <p>Binary frames are skipped; fragments are joined (at most {@link #MAX_MESSAGE_CHARS});
 * Asterisk's pings are answered by the JDK. When nothing arrived for {@code keepAlive} a ping is
 * sent, and a socket that stays silent for three keep-alive periods is aborted, so a dead peer
 * ends the stream with an error instead of hanging. Cancelling the stream aborts the socket.
 * Frames that {@code intercept} takes (answers to commands sent on the socket) skip the stream.
 */
final class EventSocket {
  /** Largest text message accepted (ARI events are a few KB; a snapshot of a big bridge more). */
  static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

  private EventSocket() {}

  /**
   * Opens {@code uri}. The stage completes with the open socket, or fails with the reason
   * ({@code WebSocket upgrade refused: 401} etc.); the source is usable once it completed and is
   * cancelled by the caller when it failed.
   *
   * @param intercept takes a frame out of the stream when it returns true (run on the JDK
   *     client's thread, in frame order)
   */
  static Pair<CompletionStage<WebSocket>, Source<String, NotUsed>> open(
      ActorSystem system, HttpClient client, URI uri, Map<String, String> headers,
      Duration connectTimeout, Duration keepAlive, Predicate<String> intercept,
      Materializer materializer) {
    Pair<SourceQueueWithComplete<String>, Source<String, NotUsed>> queue =
        Source.<String>queue(16, OverflowStrategy.backpressure()).preMaterialize(materializer);
    // The queue's answers are Scala futures whose callbacks always run asynchronously; they run on
    // the client's own (named) threads, not on the common pool.
    Executor callbacks = client.executor().orElse(ForkJoinPool.commonPool());
    Listener listener = new Listener(queue.first(), intercept, callbacks);
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
    headers.forEach(builder::header);
    CompletableFuture<WebSocket> opened =
        builder.buildAsync(uri, listener).handle((ws, error) -> {
          if (error != null) {
            throw new java.util.concurrent.CompletionException(describe(error));
          }
          return ws;
        });
    opened.thenAccept(ws -> {
      Cancellable pinger = keepAlive.isZero() || keepAlive.isNegative()
          ? null
          : system.scheduler().scheduleAtFixedRate(keepAlive, keepAlive,
              () -> listener.keepAlive(ws, keepAlive), system.dispatcher());
      queue.first().watchCompletion().whenComplete((done, e) -> {
        if (pinger != null) {
          pinger.cancel();
        }
        ws.abort();
      });
    });
    return Pair.create(opened, queue.second());
  }

  private static Throwable describe(Throwable error) {
    Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (t instanceof WebSocketHandshakeException refused) {
      return new IllegalStateException(
          "WebSocket upgrade refused: " + refused.getResponse().statusCode(), refused);
    }
    return t;
  }

  /** Feeds the queue one message at a time; all callbacks run one after another. */
  private static final class Listener implements WebSocket.Listener {
    private final SourceQueueWithComplete<String> queue;
    private final Predicate<String> intercept;
    private final Executor callbacks;
    private final StringBuilder partial = new StringBuilder();
    private CompletionStage<?> lastOffer = CompletableFuture.completedFuture(null);
    private volatile long lastHeard = System.nanoTime();
    /** An offer is waiting for the stream: frames (pongs too) are not read meanwhile. */
    private volatile boolean waiting;

    Listener(SourceQueueWithComplete<String> queue, Predicate<String> intercept,
        Executor callbacks) {
      this.queue = queue;
      this.intercept = intercept;
      this.callbacks = callbacks;
    }

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      lastHeard = System.nanoTime();
      if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
        ws.abort();
        queue.fail(new IOException("ARI event larger than " + MAX_MESSAGE_CHARS + " characters"));
        return null;
      }
      if (!last) {
        partial.append(data);
        ws.request(1);
        return null;
      }
      String text;
      if (partial.isEmpty()) {
        text = data.toString();
      } else {
        text = partial.append(data).toString();
        partial.setLength(0);
      }
      if (intercept.test(text)) {
        ws.request(1);
        return null;
      }
      waiting = true;
      lastOffer = queue.offer(text).whenCompleteAsync((result, error) -> {
        lastHeard = System.nanoTime();
        waiting = false;
        if (error == null && result == QueueOfferResult.enqueued()) {
          ws.request(1);
        }
      }, callbacks);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      lastHeard = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
      lastHeard = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      lastHeard = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      lastOffer.whenComplete((r, e) -> queue.complete());
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      lastOffer.whenComplete((r, e) -> queue.fail(error));
    }

    /** Pings a quiet socket; aborts one that stayed silent for three periods. */
    void keepAlive(WebSocket ws, Duration period) {
      if (waiting) {
        return;
      }
      long silent = System.nanoTime() - lastHeard;
      if (silent >= 3 * period.toNanos()) {
        ws.abort();
        queue.fail(new IOException("no frame and no pong for " + Duration.ofNanos(silent).toSeconds()
            + " s; the event socket is considered dead"));
      } else if (silent >= period.toNanos() && !ws.isOutputClosed()) {
        ws.sendPing(ByteBuffer.allocate(0));
      }
    }
  }
}
