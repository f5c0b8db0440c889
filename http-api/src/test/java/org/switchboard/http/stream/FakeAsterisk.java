package org.switchboard.http.stream;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** The RTP side of an ExternalMedia channel: a UDP socket on 127.0.0.1. */
final class FakeAsterisk implements AutoCloseable {

  private final DatagramSocket socket;
  private int sequence = 1000;
  private long timestamp = 50_000;

  FakeAsterisk() throws Exception {
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setSoTimeout(10_000);
  }

  /** Sends one RTP frame to the session. */
  void send(InetSocketAddress to, int payloadType, byte[] payload, int samples) throws Exception {
    byte[] bytes = new RtpPacket(payloadType, false, sequence++, timestamp, 0x1234, payload).toBytes();
    timestamp += samples;
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  /** The next RTP packet from the session, within 10 s. */
  RtpPacket receive() throws Exception {
    byte[] buf = new byte[2048];
    DatagramPacket datagram = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(datagram);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no RTP within 10 s");
    }
    return RtpPacket.parse(buf, datagram.getLength());
  }

  @Override
  public void close() {
    socket.close();
  }
}
