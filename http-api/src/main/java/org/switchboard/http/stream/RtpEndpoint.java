package org.switchboard.http.stream;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket exchanging RTP with an Asterisk ExternalMedia channel. Symmetric RTP: packets
 * are sent back to the address the latest packet came from. Received packets are parsed on the
 * socket's own reader thread and handed to the handler in arrival order.
 */
final class RtpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RtpEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatagramSocket socket;
  private final Thread reader;
  private final CompletableFuture<Void> released = new CompletableFuture<>();
  private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
  private volatile InetSocketAddress remote;
  private int sequence = RANDOM.nextInt(0x10000);
  private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
  private boolean first = true;

  RtpEndpoint(String host, String name, Consumer<RtpPacket> handler) throws SocketException {
    this.socket = new DatagramSocket(new InetSocketAddress(host, 0));
    this.reader = new Thread(() -> readLoop(handler), "rtp-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** The local address to give Asterisk as {@code external_host}. */
  InetSocketAddress local() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** True once a packet has told where Asterisk listens. */
  boolean hasRemote() {
    return remote != null;
  }

  /**
   * Sets where Asterisk listens before its first packet arrives (from ExternalMedia's
   * {@code UNICASTRTP_LOCAL_ADDRESS/PORT}). A learned address wins: symmetric RTP keeps
   * following the source of the latest packet.
   */
  void presetRemote(InetSocketAddress address) {
    if (remote == null) {
      remote = address;
    }
  }

  /** Sends one frame; the RTP timestamp advances by {@code samples}. Not thread-safe. */
  void send(int payloadType, byte[] payload, int samples) {
    InetSocketAddress to = remote;
    if (to == null || socket.isClosed()) {
      return;
    }
    RtpPacket packet = new RtpPacket(payloadType, first, sequence, timestamp, ssrc, payload);
    first = false;
    sequence = (sequence + 1) & 0xFFFF;
    timestamp = (timestamp + samples) & 0xFFFFFFFFL;
    byte[] bytes = packet.toBytes();
    try {
      socket.send(new DatagramPacket(bytes, bytes.length, to));
    } catch (IOException e) {
      log.warn("RTP send to {} failed: {}", to, e.toString());
    }
  }

  private void readLoop(Consumer<RtpPacket> handler) {
    try {
      receive(handler);
    } finally {
      released.complete(null);
    }
  }

  private void receive(Consumer<RtpPacket> handler) {
    byte[] buf = new byte[2048];
    DatagramPacket datagram = new DatagramPacket(buf, buf.length);
    while (!socket.isClosed()) {
      try {
        socket.receive(datagram);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("RTP receive on {} failed: {}", local(), e.toString());
        }
        return;
      }
      RtpPacket packet;
      try {
        packet = RtpPacket.parse(buf, datagram.getLength());
      } catch (IllegalArgumentException e) {
        log.debug("dropping datagram from {}: {}", datagram.getSocketAddress(), e.getMessage());
        continue;
      }
      remote = (InetSocketAddress) datagram.getSocketAddress();
      try {
        handler.accept(packet);
      } catch (RuntimeException e) {
        log.warn("RTP handler failed", e);
      }
    }
  }

  /**
   * Closes the socket. The port is free only once the reader thread has left its blocking
   * receive (the JDK finishes closing a socket a thread is blocked on when that thread returns):
   * see {@link #released()}.
   */
  @Override
  public void close() {
    socket.close();
  }

  /** Completes when the reader has stopped after {@link #close()}: the socket's port is free. */
  CompletionStage<Void> released() {
    return released;
  }
}
