package org.switchboard.asterisk.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** One selector thread that receives RTP for every externalMedia channel of a simulator. */
final class RtpEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RtpEngine.class.getName());
  private final Selector selector;
  private final Queue<ExternalMedia> pending = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  RtpEngine() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector for RTP", e);
    }
    thread = new Thread(this::loop, "ari-sim-rtp");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens a UDP socket on loopback for a media channel. */
  DatagramChannel open() {
    try {
      DatagramChannel ch = DatagramChannel.open();
      ch.bind(new InetSocketAddress("127.0.0.1", 0));
      ch.configureBlocking(false);
      return ch;
    } catch (IOException e) {
      throw AriError.of(500, "An internal error prevented this request from being handled");
    }
  }

  void register(ExternalMedia media) {
    pending.add(media);
    selector.wakeup();
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(2048);
    while (running) {
      try {
        selector.select(500);
        ExternalMedia m;
        while ((m = pending.poll()) != null) {
          try {
            m.socket.register(selector, SelectionKey.OP_READ, m);
          } catch (ClosedChannelException closed) {
            LOG.log(System.Logger.Level.DEBUG, "media socket closed before registration");
          }
        }
        for (SelectionKey key : selector.selectedKeys()) {
          ExternalMedia media = (ExternalMedia) key.attachment();
          buf.clear();
          try {
            if (media.socket.receive(buf) != null) {
              buf.flip();
              media.received(buf);
            }
          } catch (IOException e) {
            key.cancel();
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.log(System.Logger.Level.ERROR, "RTP receive loop error", e);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (IOException | InterruptedException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing RTP selector: {0}", e.toString());
    }
  }
}
