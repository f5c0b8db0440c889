package org.switchboard.http.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTP sockets read by one selector thread: a socket per ExternalMedia channel (Asterisk sends each
 * to its own port), but no thread per socket, so 2,000 streams cost a few threads and no context
 * switch per packet. The process has one reader per core, up to {@link #MAX_READERS} ({@link
 * #shared()} deals the sockets out in turn): a handler does the frame's whole inbound work on the
 * reader's thread, down to writing the message to the far side's TCP socket, so one thread alone
 * would cap the inbound frames a node relays at what one core does. Datagrams are handed to their
 * socket's handler on that thread, in arrival order per socket; handlers must not block.
 *
 * <p>Registration and closing go through a task queue the thread drains after each wake-up, so
 * the selector's key set is touched by its own thread only. A closed socket's port is free once
 * the selector has deregistered it ({@link #close} completes then).
 */
final class RtpSockets {

  private static final Logger log = LoggerFactory.getLogger(RtpSockets.class);
  private static final int MAX_DATAGRAM = 2048;
  /** Datagrams read from one socket per wake-up, so one flooded socket cannot starve the rest. */
  private static final int MAX_BURST = 16;

  /** Most reader threads a process runs. */
  static final int MAX_READERS = 4;

  private static final class Holder {
    static final RtpSockets[] READERS = readers(
        Math.max(1, Math.min(MAX_READERS, Runtime.getRuntime().availableProcessors())));
    static final AtomicInteger NEXT = new AtomicInteger();

    private static RtpSockets[] readers(int count) {
      RtpSockets[] readers = new RtpSockets[count];
      for (int i = 0; i < count; i++) {
        readers[i] = new RtpSockets("rtp-sockets-" + i);
      }
      return readers;
    }
  }

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);

  private RtpSockets(String threadName) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the RTP selector", e);
    }
    Thread thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** One of the process's RTP readers, each in turn; a socket stays with the one it got. */
  static RtpSockets shared() {
    return Holder.READERS[Math.floorMod(Holder.NEXT.getAndIncrement(), Holder.READERS.length)];
  }

  /**
   * Starts reading {@code channel} (bound, non-blocking): each datagram's bytes ({@code
   * buffer}'s array from 0 to its limit, valid during the call only) and sender go to {@code
   * handler}.
   */
  void register(DatagramChannel channel, BiConsumer<ByteBuffer, InetSocketAddress> handler) {
    submit(() -> {
      try {
        channel.register(selector, SelectionKey.OP_READ, handler);
      } catch (ClosedChannelException e) {
        log.debug("RTP socket closed before it was read");
      }
    });
  }

  /** Closes {@code channel}; the future completes once its port is free. */
  CompletableFuture<Void> close(DatagramChannel channel) {
    CompletableFuture<Void> released = new CompletableFuture<>();
    submit(() -> {
      SelectionKey key = channel.keyFor(selector);
      if (key != null) {
        key.cancel();
      }
      try {
        channel.close();
        // Deregisters the cancelled key: only then does the JDK release the socket's port.
        selector.selectNow();
      } catch (IOException e) {
        log.debug("closing an RTP socket: {}", e.toString());
      }
      // Continuations (the stream's teardown) run off the reader thread.
      ForkJoinPool.commonPool().execute(() -> released.complete(null));
    });
    return released;
  }

  private void submit(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void run() {
    while (true) {
      try {
        selector.select();
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          task.run();
        }
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          if (key.isValid() && key.isReadable()) {
            drain(key);
          }
        }
      } catch (IOException | RuntimeException e) {
        log.warn("RTP reader: {}", e.toString(), e);
      } catch (Error e) {
        // The thread reads every stream of the process: were it to die, every stream would go
        // silent without a word. It says so and reads on.
        log.error("RTP reader: {} (reading goes on)", e.toString(), e);
      }
    }
  }

  /** Reads every datagram waiting on the key's socket. */
  @SuppressWarnings("unchecked")
  private void drain(SelectionKey key) {
    DatagramChannel channel = (DatagramChannel) key.channel();
    BiConsumer<ByteBuffer, InetSocketAddress> handler =
        (BiConsumer<ByteBuffer, InetSocketAddress>) key.attachment();
    for (int n = 0; n < MAX_BURST; n++) {
      buffer.clear();
      InetSocketAddress from;
      try {
        from = (InetSocketAddress) channel.receive(buffer);
      } catch (IOException e) {
        log.warn("RTP receive failed: {}", e.toString());
        return;
      }
      if (from == null) {
        return;
      }
      buffer.flip();
      try {
        handler.accept(buffer, from);
      } catch (RuntimeException e) {
        log.warn("RTP handler failed", e);
      }
    }
  }
}
