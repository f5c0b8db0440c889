package org.switchboard.http.stream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket exchanging RTP with an Asterisk ExternalMedia channel. Symmetric RTP: packets
 * are sent back to the address the latest packet came from. Received packets are parsed on one
 * of the process's RTP reader threads ({@link RtpSockets}) and handed to the handler in arrival
 * order; sends go straight out of the non-blocking socket from the caller's thread, through one
 * reused packet buffer.
 */
final class RtpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RtpEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int HEADER = 12;

  private final DatagramChannel channel;
  private final RtpSockets sockets;
  private final InetSocketAddress local;
  private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
  private volatile InetSocketAddress remote;
  private volatile CompletableFuture<Void> released;
  private ByteBuffer packet = ByteBuffer.allocate(HEADER + 640);
  private int sequence = RANDOM.nextInt(0x10000);
  private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
  private boolean first = true;
  private long failedSends;

  /** A socket bound to an OS-chosen port on {@code host}, read by the shared reader. */
  RtpEndpoint(String host, Consumer<RtpPacket> handler) throws SocketException {
    this(RtpSockets.shared(), host, handler);
  }

  private RtpEndpoint(RtpSockets sockets, String host, Consumer<RtpPacket> handler)
      throws SocketException {
    this.sockets = sockets;
    InetSocketAddress bindTo = new InetSocketAddress(host, 0);
    if (bindTo.isUnresolved()) {
      throw new SocketException("unknown host " + host);
    }
    try {
      channel = DatagramChannel.open(bindTo.getAddress() instanceof java.net.Inet6Address
          ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      try {
        channel.bind(bindTo);
        channel.configureBlocking(false);
        local = (InetSocketAddress) channel.getLocalAddress();
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    } catch (SocketException e) {
      throw e;
    } catch (IOException e) {
      SocketException failure = new SocketException(e.getMessage());
      failure.initCause(e);
      throw failure;
    }
    sockets.register(channel, (datagram, from) -> onDatagram(datagram, from, handler));
  }

  /** The local address to give Asterisk as {@code external_host}. */
  InetSocketAddress local() {
    return local;
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
    if (to == null || !channel.isOpen()) {
      return;
    }
    if (packet.capacity() < HEADER + payload.length) {
      packet = ByteBuffer.allocate(HEADER + payload.length);
    }
    packet.clear();
    packet.put((byte) 0x80).put((byte) ((first ? 0x80 : 0) | (payloadType & 0x7F)))
        .putShort((short) sequence).putInt((int) timestamp).putInt((int) ssrc).put(payload)
        .flip();
    first = false;
    sequence = (sequence + 1) & 0xFFFF;
    timestamp = (timestamp + samples) & 0xFFFFFFFFL;
    try {
      if (channel.send(packet, to) == 0 && failedSends++ % 500 == 0) {
        log.warn("RTP send to {}: socket buffer full, {} packet(s) dropped", to, failedSends);
      }
    } catch (IOException e) {
      if (channel.isOpen() && failedSends++ % 500 == 0) {
        log.warn("RTP send to {} failed ({} so far): {}", to, failedSends, e.toString());
      }
    }
  }

  private void onDatagram(ByteBuffer datagram, InetSocketAddress from,
      Consumer<RtpPacket> handler) {
    RtpPacket rtp;
    try {
      rtp = RtpPacket.parse(datagram.array(), datagram.limit());
    } catch (IllegalArgumentException e) {
      log.debug("dropping datagram from {}: {}", from, e.getMessage());
      return;
    }
    remote = from;
    handler.accept(rtp);
  }

  /**
   * Closes the socket; its port is free once {@link #released()} completes (the reader thread
   * has deregistered it).
   */
  @Override
  public synchronized void close() {
    if (released == null) {
      released = sockets.close(channel);
    }
  }

  /** Completes when the socket's port is free after {@link #close()}. */
  CompletionStage<Void> released() {
    CompletableFuture<Void> done = released;
    return done != null ? done : new CompletableFuture<>();
  }
}
