package org.switchboard.asterisk.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The RTP side of one externalMedia channel: a UDP socket on 127.0.0.1, 20 ms frames sent to the
 * external host while someone in the channel's bridge is heard (or always), and a record of the
 * bytes sent and received.
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

  ExternalMedia(String channelId, Format format, DatagramChannel socket, InetSocketAddress remote) {
    this.channelId = channelId;
    this.format = format;
    this.socket = socket;
    this.remote = remote;
  }

  int localPort() {
    return socket.socket().getLocalPort();
  }

  /** Sends one 20 ms frame: a tone when {@code audio}, silence otherwise. */
  synchronized void sendFrame(boolean audio) {
    if (!sending) {
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
      if (linear) {
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
    try {
      socket.close();
    } catch (IOException e) {
      System.getLogger(ExternalMedia.class.getName()).log(System.Logger.Level.DEBUG,
          "closing RTP socket: {0}", e.toString());
    }
  }
}
