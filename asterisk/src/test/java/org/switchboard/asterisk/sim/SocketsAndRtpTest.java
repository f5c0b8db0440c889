package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket replacement, server-side drop and reconnect, and RTP echo over UDP. */
class SocketsAndRtpTest {
  @TempDir Path recordings;

  @Test
  void secondSocketReplacesTheFirst() {
    try (SimFixture f = new SimFixture(recordings)) {
      SimTestClient.Events second = f.client.connect("sb", true);
      f.events.await(e -> e.path("type").asText().equals("ApplicationReplaced"));
      String call = f.sim.inboundCall("+1555", "100");
      second.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals(call));
      assertEquals(1, f.events.received.size(), "the replaced socket gets nothing more");
      second.close();
      SimTestClient.awaitTrue(() -> f.sim.applications().isEmpty(), "app gone");
      assertEquals(404, f.client.rest("GET", "/ari/applications/sb", Map.of()).status());
    }
  }

  @Test
  void dropKeepsChannelsAndNewCallsFailUntilReconnect() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      f.sim.dropSockets();
      SimTestClient.awaitTrue(() -> f.events.closed, "server closed the socket");
      String offline = f.sim.inboundCall("+1666", "100");
      assertTrue(f.sim.channels().stream().noneMatch(c -> c.id().equals(offline)),
          "a call without a socket fails Stasis and hangs up");
      assertEquals(201, f.client.rest("POST", "/ari/channels/" + call + "/play",
          Map.of("media", "sound:beep")).status());
      SimTestClient.Events again = f.client.connect("sb", true);
      JsonNode list = f.client.rest("GET", "/ari/channels", Map.of()).body();
      assertTrue(list.toString().contains(call));
      assertTrue(again.received.isEmpty(), "nothing is replayed");
      f.client.rest("DELETE", "/ari/channels/" + call, Map.of());
      again.await(e -> e.path("type").asText().equals("StasisEnd"));
    }
  }

  @Test
  void aTimedDropRefusesSocketsForTheGapAndItsEventsAreLost() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      assertEquals(200, f.client.send("POST", "/sim/sockets/drop", Map.of(), "{\"ms\":1500}", false)
          .status());
      SimTestClient.awaitTrue(() -> f.events.closed, "server closed the socket");
      java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.CompletionException.class, () -> f.client.connect("sb", true));
      assertEquals(503, ((java.net.http.WebSocketHandshakeException) refused.getCause())
          .getResponse().statusCode());
      f.client.rest("DELETE", "/ari/channels/" + call, Map.of());
      f.advance(1500);
      SimTestClient.Events again = f.client.connect("sb", true);
      JsonNode list = f.client.rest("GET", "/ari/channels", Map.of()).body();
      assertFalse(list.toString().contains(call), "the channel ended during the gap");
      assertTrue(again.received.isEmpty(), "its StasisEnd was emitted to no one and is not replayed");
    }
  }

  @Test
  void externalMediaSendsFramesWhileTheCallerSpeaksAndRecordsTheEcho() throws Exception {
    try (SimFixture f = new SimFixture(recordings);
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String call = f.answeredCall();
      f.client.rest("POST", "/ari/bridges", Map.of("bridgeId", "br", "type", "mixing"));
      JsonNode em = f.client.rest("POST", "/ari/channels/externalMedia", Map.of("app", "sb",
          "external_host", "127.0.0.1:" + udp.getLocalPort(), "format", "ulaw",
          "channelId", "em1")).body();
      int simPort = em.path("channelvars").path("UNICASTRTP_LOCAL_PORT").asInt();
      f.client.rest("POST", "/ari/bridges/br/addChannel", Map.of("channel", call + ",em1"));
      f.advance(200);
      assertEquals(0, f.sim.rtp("em1").packetsSent(), "silent caller: no frames");
      f.sim.speak(call, Duration.ofMillis(210));
      f.advance(200);
      int sent = f.sim.rtp("em1").packetsSent();
      assertEquals(10, sent);
      udp.setSoTimeout(5000);
      long lastTs = -1;
      for (int i = 0; i < sent; i++) {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        udp.receive(p);
        byte[] d = p.getData();
        assertEquals(172, p.getLength());
        assertEquals(0, d[1] & 0x7F);
        long ts = ((d[4] & 0xFFL) << 24) | ((d[5] & 0xFF) << 16) | ((d[6] & 0xFF) << 8)
            | (d[7] & 0xFF);
        if (lastTs >= 0) {
          assertEquals(160, ts - lastTs);
        }
        lastTs = ts;
        udp.send(new DatagramPacket(d, p.getLength(), InetAddress.getLoopbackAddress(),
            simPort));
      }
      SimTestClient.awaitTrue(() -> f.sim.rtp("em1").packetsReceived() == sent, "echo back");
      assertArrayEquals(f.sim.rtp("em1").sent(), f.sim.rtp("em1").received());
      assertFalse(f.sim.rtp("em1").sent().length == 0);
    }
  }
}
