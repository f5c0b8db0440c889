package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.ari.DecodePaths;

/**
 * One test per recorded scenario: the same REST requests as the real Asterisk got must give the
 * same statuses, error bodies and event order; every event the simulator sent decodes the same on
 * the streaming and the tree path.
 */
class TranscriptScenariosTest {
  @TempDir Path recordings;
  private AriSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private void replay(String file, String... racyKeys) throws Exception {
    replay(new TranscriptReplay(file, Set.of(racyKeys)));
  }

  private Map<Integer, SimTestClient.Events> replay(TranscriptReplay t) throws Exception {
    sim = new AriSimulator();
    int port = sim.start(TranscriptReplay.config(recordings));
    Map<Integer, SimTestClient.Events> sockets =
        t.run(sim, new SimTestClient(port, "llamenos", "changeme"));
    t.assertMatches(sockets);
    for (SimLog.Event event : sim.log().events()) {
      DecodePaths.assertStreamedAsTree(event.json());
    }
    return sockets;
  }

  @Test
  void inboundCall01() throws Exception {
    replay("01-inbound-call.jsonl");
  }

  @Test
  void dtmfAndPlaybackControl02() throws Exception {
    replay("02-dtmf-and-playback-control.jsonl");
  }

  @Test
  void recording03() throws Exception {
    replay("03-recording.jsonl");
  }

  @Test
  void parallelRingOriginate04() throws Exception {
    replay("04-parallel-ring-bridge-originate.jsonl");
  }

  @Test
  void parallelRingCreateDial04b() throws Exception {
    replay("04b-parallel-ring-bridge-create-dial.jsonl");
  }

  @Test
  void failuresAndRestErrors05() throws Exception {
    replay("05-failures-and-rest-errors.jsonl");
  }

  @Test
  void ringMohSilenceHold06() throws Exception {
    replay("06-ring-moh-silence-hold.jsonl");
  }

  @Test
  void externalMediaRtp07() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TranscriptReplay t = new TranscriptReplay("07-external-media-rtp.jsonl", Set.of());
      t.rtpSink = udp;
      replay(t);
      udp.setSoTimeout(5000);
      DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
      udp.receive(packet);
      assertEquals(2, (packet.getData()[0] & 0xC0) >> 6, "RTP version");
      int pt = packet.getData()[1] & 0x7F;
      assertTrue(pt == 0 || pt == 118, "payload type " + pt);
      assertEquals(pt == 0 ? 172 : 652, packet.getLength());
    }
  }

  @Test
  void variablesContinueReconnect08() throws Exception {
    replay("08-variables-continue-reconnect.jsonl");
  }

  @Test
  void defaultSubscriptions09() throws Exception {
    replay("09-default-subscriptions.jsonl", "conn14 channel:s09-busy-714hs-far");
  }
}
