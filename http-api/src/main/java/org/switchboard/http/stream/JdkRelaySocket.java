package org.switchboard.http.stream;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.Failures;

/**
 * A stream's WebSocket client connection on the JDK's client ({@link WebSocketClient#JDK}): the
 * far side's socket ({@link AppSocket}) or chan_websocket's media socket ({@link
 * AsteriskMediaSocket}).
 *
 * <p>Sending: each message is handed to {@link WebSocket#sendText} / {@link
 * WebSocket#sendBinary} on the thread that offers it (which writes it to the TCP socket when the
 * socket takes it), with no stream stage or actor message in between. The JDK takes one
 * outstanding send at a time: while one is pending (or before the socket is open) messages wait
 * in a bounded queue of {@code capacity}, sent in order by whichever thread completes the pending
 * send; a full queue drops the new message (the caller counts it), so a far side that does not
 * read never grows memory. Nothing blocks.
 *
 * <p>Receiving: one message at a time ({@code request(1)} after each is handled), fragments
 * joined up to {@link #MAX_MESSAGE_BYTES}; text to {@code onText}, binary to {@code onBinary}
 * (ignored when null), on the JDK client's thread. Pings are answered by the JDK.
 *
 * <p>{@link #closed()} completes when the far side closes with a Close frame (normally) or the
 * connection fails or ends without one, a send fails or an oversized message arrives
 * (exceptionally). {@link #close()} sends a Close once
 * the queue is sent, and aborts the connection when the far side has not closed within {@link
 * #CLOSE_TIMEOUT}.
 */
final class JdkRelaySocket implements AppSocket, AsteriskMediaSocket, WebSocket.Listener {

  private static final Logger log = LoggerFactory.getLogger(JdkRelaySocket.class);

  /** Largest message accepted from the far side, fragments joined (characters for text). */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /** How long the TCP connect may take (the session's own timeout covers the upgrade). */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** How long after {@link #close()} the connection is aborted if the far side did not close. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** The status the JDK reports when the connection ended without a Close frame (RFC 6455). */
  private static final int CLOSED_ABNORMALLY = 1006;

  /** One client, so one selector thread, for every stream socket of the process. */
  private static final class Shared {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** A message waiting for the pending send: a {@code String} (text) or {@code byte[]}. */
  private record Pending(Object message, long arrivedNanos) {}

  private final Consumer<String> onText;
  private final Consumer<byte[]> onBinary;
  private final RelayDelays delays;
  private final int capacity;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Done> closed = new CompletableFuture<>();
  private final StringBuilder partialText = new StringBuilder();
  private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
  // Guarded by this.
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private volatile WebSocket socket;
  /** A send is pending, or the socket is not open yet: new messages queue. */
  private boolean busy = true;
  /** close() was called, the far side closed, or the socket failed: new messages are dropped. */
  private boolean closing;
  private boolean closeSent;

  private JdkRelaySocket(Consumer<String> onText, Consumer<byte[]> onBinary, RelayDelays delays,
      int capacity) {
    this.onText = onText;
    this.onBinary = onBinary;
    this.delays = delays;
    this.capacity = capacity;
  }

  /**
   * Connects to {@code uri}.
   *
   * @param headers sent with the upgrade request
   * @param subprotocol asked for, or null
   * @param onBinary receives binary messages; null ignores them
   * @param delays where frames' relay delays go (inbound: handed to the socket)
   * @param capacity messages queued behind a pending send before new ones are dropped
   */
  static JdkRelaySocket connect(URI uri, Map<String, String> headers, String subprotocol,
      Consumer<String> onText, Consumer<byte[]> onBinary, RelayDelays delays, int capacity) {
    JdkRelaySocket relay = new JdkRelaySocket(onText, onBinary, delays, capacity);
    CompletableFuture<WebSocket> built;
    try {
      WebSocket.Builder builder =
          Shared.CLIENT.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
      headers.forEach(builder::header);
      if (subprotocol != null) {
        builder.subprotocols(subprotocol);
      }
      built = builder.buildAsync(uri, relay);
    } catch (RuntimeException e) {
      built = CompletableFuture.failedFuture(e);
    }
    built.whenComplete(relay::onBuilt);
    return relay;
  }

  @Override
  public CompletionStage<Void> opened() {
    return opened;
  }

  @Override
  public CompletionStage<Done> closed() {
    return closed;
  }

  @Override
  public boolean offer(String text, long arrivedNanos) {
    return enqueue(text, arrivedNanos);
  }

  /** Queues audio (a copy: the caller may reuse its array, as with Pekko's client). */
  @Override
  public boolean send(byte[] audio) {
    return enqueue(audio.clone(), 0);
  }

  @Override
  public boolean sendText(String command) {
    return enqueue(command, 0);
  }

  @Override
  public void close() {
    boolean now;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      now = !busy && !closeSent;
      closeSent |= now;
    }
    if (now) {
      sendClose();
    }
    CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(this::abandon);
  }

  private boolean enqueue(Object message, long arrivedNanos) {
    synchronized (this) {
      if (closing) {
        return false;
      }
      if (busy) {
        if (queue.size() >= capacity) {
          return false;
        }
        queue.add(new Pending(message, arrivedNanos));
        return true;
      }
      busy = true;
    }
    transmit(message, arrivedNanos);
    return true;
  }

  /**
   * Sends {@code message}, then what queued meanwhile, until the queue is empty or a send is
   * pending (whose completion goes on from there). Only one thread runs it at a time ({@code
   * busy}).
   */
  private void transmit(Object message, long arrivedNanos) {
    Object next = message;
    long arrived = arrivedNanos;
    while (true) {
      CompletableFuture<WebSocket> sent = sendNow(next);
      if (arrived != 0) {
        delays.observe(RelayDelays.Direction.INBOUND, System.nanoTime() - arrived);
      }
      if (!sent.isDone()) {
        sent.whenComplete(this::afterPendingSend);
        return;
      }
      Pending pending = afterSend(sent.isCompletedExceptionally() ? failure(sent) : null);
      if (pending == null) {
        return;
      }
      next = pending.message();
      arrived = pending.arrivedNanos();
    }
  }

  private CompletableFuture<WebSocket> sendNow(Object message) {
    try {
      return message instanceof String text
          ? socket.sendText(text, true)
          : socket.sendBinary(ByteBuffer.wrap((byte[]) message), true);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void afterPendingSend(WebSocket ws, Throwable error) {
    Pending pending = afterSend(error);
    if (pending != null) {
      transmit(pending.message(), pending.arrivedNanos());
    }
  }

  /**
   * After a send completed (or the socket opened): the next queued message, still busy; or null,
   * idle (the Close sent if one was asked for), or failed.
   */
  private Pending afterSend(Throwable error) {
    if (error != null) {
      fail(error);
      return null;
    }
    boolean closeNow;
    synchronized (this) {
      Pending pending = queue.poll();
      if (pending != null) {
        return pending;
      }
      busy = false;
      closeNow = closing && !closeSent;
      closeSent |= closeNow;
    }
    if (closeNow) {
      sendClose();
    }
    return null;
  }

  private static Throwable failure(CompletableFuture<?> failed) {
    return failed.handle((value, error) -> error).join();
  }

  private void onBuilt(WebSocket ws, Throwable error) {
    if (error != null) {
      fail(refusal(error));
      return;
    }
    socket = ws;
    Pending pending = afterSend(null);
    if (pending != null) {
      transmit(pending.message(), pending.arrivedNanos());
    }
    opened.complete(null);
  }

  /** A refused upgrade as {@link UpgradeRefused}; other failures as they are. */
  private static Throwable refusal(Throwable error) {
    Throwable cause = Failures.cause(error);
    return cause instanceof WebSocketHandshakeException refused
        ? new UpgradeRefused(String.valueOf(refused.getResponse().statusCode()))
        : cause;
  }

  private void sendClose() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((ws, error) -> {
      if (error != null) {
        log.debug("closing a stream socket failed: {}", error.toString());
        socket.abort();
      }
    });
  }

  /** {@link #CLOSE_TIMEOUT} after close(): aborts the connection if the far side did not close. */
  private void abandon() {
    synchronized (this) {
      queue.clear();
    }
    if (!closed.isDone()) {
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
      closed.complete(Done.getInstance());
    }
  }

  private void fail(Throwable error) {
    synchronized (this) {
      closing = true;
      closeSent = true;
      queue.clear();
    }
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    opened.completeExceptionally(error);
    closed.completeExceptionally(error);
  }

  // The listener: the JDK calls it one callback at a time.

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    if (last && partialText.length() == 0) {
      deliver(onText, data.toString());
    } else if (partialText.length() + data.length() > MAX_MESSAGE_BYTES) {
      partialText.setLength(0);
      fail(new IllegalStateException("text message over " + MAX_MESSAGE_BYTES + " characters"));
      return null;
    } else {
      partialText.append(data);
      if (last) {
        String text = partialText.toString();
        partialText.setLength(0);
        deliver(onText, text);
      }
    }
    ws.request(1);
    return null;
  }

  /** Hands a whole message to its handler; a handler's failure is logged, the socket goes on. */
  private static <T> void deliver(Consumer<T> handler, T message) {
    try {
      handler.accept(message);
    } catch (RuntimeException e) {
      log.warn("a stream socket's message handler failed", e);
    }
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    if (onBinary == null) {
      if (last) {
        log.debug("ignoring a binary message on a stream socket");
      }
    } else if (partialBinary.size() + data.remaining() > MAX_MESSAGE_BYTES) {
      partialBinary.reset();
      fail(new IllegalStateException("binary message over " + MAX_MESSAGE_BYTES + " bytes"));
      return null;
    } else {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      if (last && partialBinary.size() == 0) {
        deliver(onBinary, bytes);
      } else {
        partialBinary.writeBytes(bytes);
        if (last) {
          byte[] whole = partialBinary.toByteArray();
          partialBinary.reset();
          deliver(onBinary, whole);
        }
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    synchronized (this) {
      closing = true;
      closeSent = true;
      queue.clear();
    }
    log.debug("stream socket closed by the far side: {} {}", statusCode, reason);
    if (statusCode == CLOSED_ABNORMALLY) {
      // The JDK's report of a connection that ended without a Close frame: a failure.
      closed.completeExceptionally(new java.io.IOException(
          "the connection ended without a WebSocket Close (" + CLOSED_ABNORMALLY + ")"));
    } else {
      closed.complete(Done.getInstance());
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    fail(error);
  }
}
