package org.switchboard.asterisk.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.StreamSubscriptionTimeoutTerminationMode;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;

/**
 * One ARI event WebSocket on the JDK's WebSocket client: the text messages as a {@link Source}
 * with backpressure down to the socket. Frames go into a bounded buffer of {@link #BUFFER}
 * messages without waiting for the stream: the next frame is requested at once while there is
 * room, so a burst of events is read in one go instead of one thread hand-off (and wake-up) per
 * frame. When the buffer is full, frames go on being read into a read-ahead list of up to
 * {@link #READ_AHEAD} more, so that {@code intercept} (answers to commands, and the door that turns
 * new calls away while the node sheds load) sees every frame as Asterisk sends it, even while the
 * engine is behind; only when the read-ahead is full too does reading stop, until the stream takes
 * a message out of the buffer: a slow engine backpressures the socket, nothing is dropped.
 * (Pekko HTTP's client materialized a sub-stream per message; waiting for the stream to take each
 * frame before reading the next one made the socket the largest part of the event → webhook
 * latency in the load test. Stopping at a full buffer of 256 held new calls behind the backlog
 * of the live ones: seconds before the door saw them under overload.)
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

  /** Messages read ahead of the stream. */
  static final int BUFFER = 256;

  /**
   * Messages read beyond a full {@link #BUFFER} before reading stops (ARI events are ~1–3 KB, so
   * at most some tens of MB per server while the engine is behind).
   */
  static final int READ_AHEAD = 20_000;

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
    return open(system, client, uri, headers, connectTimeout, keepAlive, intercept,
        (ws, reason) -> {}, unread -> {}, materializer);
  }

  /**
   * {@link #open} that also tells {@code onGone} (once, on the JDK client's or the keep-alive's
   * thread) the moment the socket closes, fails or is found dead, with the reason: before the
   * frames still buffered have been read by the stream; {@code unread} is handed the count of
   * frames read and not yet taken by the stream (the buffer and the read-ahead).
   */
  static Pair<CompletionStage<WebSocket>, Source<String, NotUsed>> open(
      ActorSystem system, HttpClient client, URI uri, Map<String, String> headers,
      Duration connectTimeout, Duration keepAlive, Predicate<String> intercept,
      BiConsumer<WebSocket, String> onGone, Consumer<IntSupplier> unread,
      Materializer materializer) {
    // The frames are subscribed to only once the socket is open and the caller resynced; the
    // materializer's default subscription timeout (5 s) would cancel the buffer of a first connect
    // slower than that (a cold JVM on a busy machine) and fail the fresh stream at once.
    Pair<BoundedSourceQueue<String>, Publisher<String>> buffered =
        Source.<String>queue(BUFFER)
            .toMat(
                Sink.<String>asPublisher(AsPublisher.WITH_FANOUT)
                    .withAttributes(ActorAttributes.streamSubscriptionTimeout(
                        connectTimeout.multipliedBy(3).plusSeconds(5),
                        StreamSubscriptionTimeoutTerminationMode.cancel())),
                Keep.both())
            .run(materializer);
    Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> queue =
        Pair.create(buffered.first(), Source.fromPublisher(buffered.second()));
    Listener listener = new Listener(queue.first(), intercept, onGone);
    unread.accept(listener::unread);
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
    headers.forEach(builder::header);
    CompletableFuture<WebSocket> opened =
        builder.buildAsync(uri, listener).handle((ws, error) -> {
          if (error != null) {
            throw new java.util.concurrent.CompletionException(describe(error));
          }
          return ws;
        });
    CompletableFuture<Void> ended = new CompletableFuture<>();
    opened.thenAccept(ws -> {
      Cancellable pinger = keepAlive.isZero() || keepAlive.isNegative()
          ? null
          : system.scheduler().scheduleAtFixedRate(keepAlive, keepAlive,
              () -> listener.keepAlive(ws, keepAlive), system.dispatcher());
      ended.whenComplete((done, e) -> {
        if (pinger != null) {
          pinger.cancel();
        }
        ws.abort();
      });
    });
    Source<String, NotUsed> frames =
        queue.second().map(listener::taken).watchTermination((mat, done) -> {
          done.whenComplete((d, e) -> ended.complete(null));
          return mat;
        });
    return Pair.create(opened, frames);
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

  /**
   * Feeds the queue. The JDK calls it one callback at a time; the stream (taking a message, which
   * lets a held frame in) and the keep-alive check (which may end the stream) come from other
   * threads, hence the lock.
   */
  private static final class Listener implements WebSocket.Listener {
    private final BoundedSourceQueue<String> queue;
    private final Predicate<String> intercept;
    private final StringBuilder partial = new StringBuilder();
    private volatile long lastHeard = System.nanoTime();
    /** Frames the full buffer did not take yet, oldest first. */
    private final ArrayDeque<String> held = new ArrayDeque<>();
    /** Counts {@link #held} for readers outside the lock. */
    private volatile int heldCount;
    /** The read-ahead is full: no frame (pongs neither) is read until the stream takes one. */
    private volatile boolean paused;
    /** What ends the stream (close or error) once the held frames are in. */
    private Runnable afterHeld;
    /** The socket, for reading on once the stream took a frame. */
    private WebSocket socket;
    private boolean ended;

    private final BiConsumer<WebSocket, String> onGone;
    private final java.util.concurrent.atomic.AtomicBoolean told =
        new java.util.concurrent.atomic.AtomicBoolean();

    Listener(BoundedSourceQueue<String> queue, Predicate<String> intercept,
        BiConsumer<WebSocket, String> onGone) {
      this.queue = queue;
      this.intercept = intercept;
      this.onGone = onGone;
    }

    /** Tells the owner the socket is gone, once. */
    private void gone(WebSocket ws, String reason) {
      if (told.compareAndSet(false, true)) {
        onGone.accept(ws, reason);
      }
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
        gone(ws, "event larger than " + MAX_MESSAGE_CHARS + " characters");
        end(new IOException("ARI event larger than " + MAX_MESSAGE_CHARS + " characters"));
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
      synchronized (this) {
        socket = ws;
        if (ended) {
          return null;
        }
        held.addLast(text);
        offerHeld();
        if (held.size() < READ_AHEAD) {
          ws.request(1);
        } else {
          paused = true;
        }
        heldCount = held.size();
      }
      return null;
    }

    /**
     * The stream took {@code text} out of the buffer (on the stream's thread): held frames fit
     * now, and a paused socket is read again.
     */
    String taken(String text) {
      if (heldCount > 0) {
        synchronized (this) {
          offerHeld();
          heldCount = held.size();
          if (held.isEmpty() && afterHeld != null) {
            afterHeld.run();
          } else if (paused && held.size() < READ_AHEAD) {
            paused = false;
            socket.request(1);
          }
        }
      }
      return text;
    }

    /**
     * Moves held frames into the buffer, oldest first, while it takes them. Called with the lock
     * held.
     */
    private void offerHeld() {
      while (!held.isEmpty()) {
        QueueOfferResult result = queue.offer(held.peekFirst());
        if (result == QueueOfferResult.dropped()) {
          return; // still full: the next message the stream takes offers again
        }
        held.pollFirst();
        if (result != QueueOfferResult.enqueued()) {
          held.clear(); // the stream is gone (closed or failed): nothing more to wait for
        }
      }
    }

    /** Frames read from the socket and not yet taken by the stream. */
    int unread() {
      return heldCount + queue.size();
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
      gone(ws, "closed by server");
      endAfterHeld(() -> end(null));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      gone(ws, "socket failed (" + error + ")");
      endAfterHeld(() -> end(error));
    }

    private synchronized void endAfterHeld(Runnable ending) {
      if (held.isEmpty()) {
        ending.run();
      } else {
        afterHeld = ending;
      }
    }

    /** Completes the stream, or fails it with {@code error}; once. */
    private synchronized void end(Throwable error) {
      if (ended) {
        return;
      }
      ended = true;
      held.clear();
      heldCount = 0;
      try {
        if (error == null) {
          queue.complete();
        } else {
          queue.fail(error);
        }
      } catch (IllegalStateException streamAlreadyGone) {
        // the stream was cancelled first: nothing to end
      }
    }

    /** Pings a quiet socket; aborts one that stayed silent for three periods. */
    void keepAlive(WebSocket ws, Duration period) {
      if (paused) {
        return;
      }
      long silent = System.nanoTime() - lastHeard;
      if (silent >= 3 * period.toNanos()) {
        ws.abort();
        gone(ws, "no frame and no pong for " + Duration.ofNanos(silent).toSeconds() + " s");
        end(new IOException("no frame and no pong for " + Duration.ofNanos(silent).toSeconds()
            + " s; the event socket is considered dead"));
      } else if (silent >= period.toNanos() && !ws.isOutputClosed()) {
        ws.sendPing(ByteBuffer.allocate(0));
      }
    }
  }
}
