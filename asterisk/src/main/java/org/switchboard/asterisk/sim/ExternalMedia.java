package org.switchboard.asterisk.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The media side of one externalMedia channel: a UDP socket on 127.0.0.1 sending RTP to the
 * external host, or (chan_websocket, {@code transport=websocket}) the WebSocket the application
 * connects to {@code /media/<connection id>}, carrying raw frames as BINARY messages; 20 ms frames
 * are sent while someone in the channel's bridge is heard (or always), and the bytes sent and
 * received are recorded.
 */
final class ExternalMedia {
  private static final int MAX_KEPT = 16 * 1024 * 1024;

  /** One RTP format. */
  record Format(String name, int payloadType, int payloadBytes, int tsStep) {
    static Format of(String name) {
      return switch (name) {
        case "ulaw" -> new Format(name, 0, 160, 160);
        case "alaw" -> new Format(name, 8, 160, 160);
        case "slin" -> new Format(name, 118, 320, 160);
        case "slin16" -> new Format(name, 118, 640, 320);
        case "slin24" -> new Format(name, 118, 960, 480);
        default -> null;
      };
    }
  }

  final String channelId;
  final Format format;
  final DatagramChannel socket;
  final InetSocketAddress remote;
  private final int ssrc = ThreadLocalRandom.current().nextInt();
  private int seq = ThreadLocalRandom.current().nextInt(1 << 16);
  private long timestamp;
  private long samplePos;
  private boolean sending = true;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private int packetsSent;
  private int packetsReceived;
  /** chan_websocket: the connection id, and the application's socket once connected. */
  final String connectionId;
  private java.util.function.Predicate<byte[]> webSocket;
  private ChanWebSocketQueue playQueue;

  ExternalMedia(String channelId, Format format, DatagramChannel socket, InetSocketAddress remote) {
    this.channelId = channelId;
    this.format = format;
    this.socket = socket;
    this.remote = remote;
    this.connectionId = null;
  }

  /** A chan_websocket channel waiting for the application to connect with {@code connectionId}. */
  ExternalMedia(String channelId, Format format, String connectionId) {
    this.channelId = channelId;
    this.format = format;
    this.socket = null;
    this.remote = null;
    this.connectionId = connectionId;
  }

  /** The RTP port, 0 for a chan_websocket channel. */
  int localPort() {
    return socket == null ? 0 : socket.socket().getLocalPort();
  }

  /**
   * chan_websocket: the application connected; {@code send} offers one BINARY message, {@code
   * events} one TEXT message.
   */
  synchronized void webSocketConnected(java.util.function.Predicate<byte[]> send,
      java.util.function.Consumer<String> events) {
    webSocket = send;
    playQueue = new ChanWebSocketQueue(channelId, format.payloadBytes(), events);
  }

  synchronized boolean webSocketConnected() {
    return webSocket != null;
  }

  /**
   * chan_websocket: one BINARY message from the application, queued as Asterisk queues it; the
   * channel plays it frame by frame at its ticks ({@link #playQueued()}).
   */
  synchronized void receivedBinary(byte[] data) {
    if (playQueue != null) {
      playQueue.binary(data);
    }
  }

  /** chan_websocket: one TEXT message (a control command) from the application. */
  synchronized void receivedText(String command) {
    if (playQueue != null) {
      playQueue.text(command);
    }
  }

  /**
   * chan_websocket: one tick of the channel's 20 ms timer; the frame it takes off the queue is
   * what the channel plays into its bridge (recorded as received).
   */
  synchronized void playQueued() {
    byte[] frame = playQueue == null ? null : playQueue.tick();
    if (frame != null) {
      packetsReceived++;
      keep(received, frame, 0, frame.length);
    }
  }

  /** chan_websocket: frames waiting in the channel's queue. */
  synchronized int queuedFrames() {
    return playQueue == null ? 0 : playQueue.length();
  }

  /** Sends one 20 ms frame: a tone when {@code audio}, silence otherwise. */
  synchronized void sendFrame(boolean audio) {
    if (!sending) {
      return;
    }
    if (connectionId != null) {
      if (webSocket != null) {
        byte[] frame = payload(audio);
        if (webSocket.test(frame)) {
          packetsSent++;
          keep(sent, frame, 0, frame.length);
        }
      }
      return;
    }
    byte[] payload = payload(audio);
    timestamp += format.tsStep();
    ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
    b.put((byte) 0x80).put((byte) format.payloadType()).putShort((short) seq++)
        .putInt((int) timestamp).putInt(ssrc).put(payload).flip();
    try {
      socket.send(b, remote);
      packetsSent++;
      keep(sent, payload, 0, payload.length);
    } catch (IOException e) {
      System.getLogger(ExternalMedia.class.getName()).log(System.Logger.Level.WARNING,
          "RTP send to {0} failed: {1}", remote, e.toString());
    }
  }

  private byte[] payload(boolean audio) {
    byte[] p = new byte[format.payloadBytes()];
    int rate = format.tsStep() * 50;
    boolean linear = format.name().startsWith("slin");
    int samples = linear ? p.length / 2 : p.length;
    for (int i = 0; i < samples; i++) {
      short v = audio ? (short) (6000 * Math.sin(2 * Math.PI * 440 * (samplePos + i) / rate)) : 0;
      if (linear && connectionId != null) {
        // chan_websocket carries Asterisk's native signed linear: host order, little-endian
        p[2 * i] = (byte) v;
        p[2 * i + 1] = (byte) (v >> 8);
      } else if (linear) {
        p[2 * i] = (byte) (v >> 8);
        p[2 * i + 1] = (byte) v;
      } else {
        p[i] = format.payloadType() == 8 ? G711.alaw(v) : G711.ulaw(v);
      }
    }
    samplePos += samples;
    return p;
  }

  /** Called by the RTP engine thread for each datagram. */
  synchronized void received(ByteBuffer packet) {
    if (packet.remaining() < 12 || (packet.get(0) & 0xC0) != 0x80) {
      return;
    }
    int cc = packet.get(0) & 0x0F;
    int offset = 12 + 4 * cc;
    if ((packet.get(0) & 0x10) != 0 && packet.remaining() >= offset + 4) {
      offset += 4 + 4 * (packet.getShort(offset + 2) & 0xFFFF);
    }
    if (offset > packet.remaining()) {
      return;
    }
    packetsReceived++;
    byte[] data = new byte[packet.remaining() - offset];
    packet.position(offset);
    packet.get(data);
    keep(received, data, 0, data.length);
  }

  private static void keep(ByteArrayOutputStream out, byte[] data, int off, int len) {
    if (out.size() + len <= MAX_KEPT) {
      out.write(data, off, len);
    }
  }

  synchronized byte[] sentBytes() {
    return sent.toByteArray();
  }

  synchronized byte[] receivedBytes() {
    return received.toByteArray();
  }

  synchronized int packetsSent() {
    return packetsSent;
  }

  synchronized int packetsReceived() {
    return packetsReceived;
  }

  synchronized void stopSending() {
    sending = false;
  }

  void close() {
    stopSending();
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      System.getLogger(ExternalMedia.class.getName()).log(System.Logger.Level.DEBUG,
          "closing RTP socket: {0}", e.toString());
    }
  }
}
