package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RTP sockets over real UDP on loopback: many sockets read by the one reader thread, packets
 * parsed and answered to their sender (symmetric RTP), ports free once a socket is released.
 */
class RtpEndpointTest {

  @Test
  void manySocketsAreReadByOneThreadAndAnswerTheirSender() throws Exception {
    int n = 200;
    CountDownLatch all = new CountDownLatch(n);
    Set<String> readers = ConcurrentHashMap.newKeySet();
    List<RtpEndpoint> endpoints = new ArrayList<>();
    List<RtpPacket> first = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      first.add(null);
    }
    for (int i = 0; i < n; i++) {
      int k = i;
      endpoints.add(new RtpEndpoint("127.0.0.1", packet -> {
        readers.add(Thread.currentThread().getName());
        synchronized (first) {
          if (first.get(k) == null) {
            first.set(k, packet);
            all.countDown();
          }
        }
      }));
    }
    try (DatagramSocket asterisk = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      asterisk.setSoTimeout(10_000);
      for (int i = 0; i < n; i++) {
        byte[] packet = new RtpPacket(0, false, i, 160L * i, 99, new byte[] {(byte) i, 7})
            .toBytes();
        asterisk.send(new DatagramPacket(packet, packet.length, endpoints.get(i).local()));
      }
      assertTrue(all.await(10, TimeUnit.SECONDS), "every socket got its packet");
      // A few reader threads (one per core, up to MAX_READERS), the sockets dealt out in turn.
      int expected = Math.min(RtpSockets.MAX_READERS, Runtime.getRuntime().availableProcessors());
      assertEquals(expected, readers.size(), readers.toString());
      assertTrue(readers.stream().allMatch(name -> name.matches("rtp-sockets-[0-9]+")),
          readers.toString());
      for (int i = 0; i < n; i++) {
        assertEquals(i, first.get(i).sequence());
        assertArrayEquals(new byte[] {(byte) i, 7}, first.get(i).payload());
        assertTrue(endpoints.get(i).hasRemote());
      }

      // Symmetric RTP: the answer goes to the sender, with a fresh header of our own.
      endpoints.get(5).send(0, new byte[] {1, 2, 3}, 160);
      endpoints.get(5).send(0, new byte[] {4, 5, 6}, 160);
      DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
      asterisk.receive(in);
      RtpPacket one = RtpPacket.parse(in.getData(), in.getLength());
      asterisk.receive(in);
      RtpPacket two = RtpPacket.parse(in.getData(), in.getLength());
      assertArrayEquals(new byte[] {1, 2, 3}, one.payload());
      assertTrue(one.marker() && !two.marker(), "the marker bit on the first packet only");
      assertEquals((one.sequence() + 1) & 0xFFFF, two.sequence());
      assertEquals((one.timestamp() + 160) & 0xFFFFFFFFL, two.timestamp());
      assertEquals(one.ssrc(), two.ssrc());
    }

    for (RtpEndpoint endpoint : endpoints) {
      endpoint.close();
    }
    for (RtpEndpoint endpoint : endpoints) {
      endpoint.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try (DatagramSocket rebound = new DatagramSocket(endpoint.local())) {
        assertTrue(rebound.isBound(), "port " + endpoint.local() + " free again");
      }
    }
  }
}
