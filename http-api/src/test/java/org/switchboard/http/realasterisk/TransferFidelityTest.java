package org.switchboard.http.realasterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * A SIP REFER from one of two bridged PJSIP channels whose transfers ARI handles ({@code
 * PJSIP_TRANSFER_HANDLING()=ari-only}), on a real Asterisk 22 (the REFER sent by {@link SipUas},
 * the far end of both channels) and on the simulator ({@code AriSimulator.refer}): the same REST
 * answers and the same {@code ChannelTransfer} events, field for field (ids and values the
 * scenario chose; timestamps and channel snapshots' other fields aside).
 */
@Tag(RealAsterisk.TAG)
class TransferFidelityTest {

  /** How the far end of {@code tr-b} sends its REFER on one server. */
  private interface Referrer {
    void refer() throws Exception;
  }

  @Test
  void aReferOnABridgedPjsipChannelIsTheSameChannelTransferOnAsteriskAndOnTheSimulator()
      throws Exception {
    RealAsterisk asterisk = RealAsterisk.shared();
    List<String> real;
    try (SipUas uas = new SipUas()) {
      real = run(asterisk.ariUrl(), asterisk.user(), asterisk.password(), uas.port(),
          () -> uas.refer("b", "agentb"));
      String notify = uas.awaitMessage(m -> m.startsWith("NOTIFY") && m.contains("SIP/2.0 200"),
          "a NOTIFY with the 200 sipfrag");
      assertTrue(notify.contains("Event: refer"), notify);
      assertTrue(uas.awaitMessage(m -> m.startsWith("SIP/2.0 202"), "202 Accepted")
          .contains("CSeq: 1 REFER"));
    }
    AriSimulator sim = new AriSimulator();
    List<String> simulated;
    try {
      int port = sim.start(SimConfig.defaults().withApp(RealAsterisk.APP, "switchboard-in")
          .withRecordingsDir(Files.createTempDirectory("transfer-fidelity")));
      simulated = run("http://127.0.0.1:" + port + "/ari", "asterisk", "asterisk", 5999,
          () -> sim.refer("tr-b", "agentb"));
    } finally {
      sim.close();
    }
    assertEquals(real, simulated, "the simulator differs from Asterisk");
  }

  private static List<String> run(String url, String user, String password, int farPort,
      Referrer referrer) throws Exception {
    List<String> out = new ArrayList<>();
    try (AriSession s = new AriSession(url, user, password, RealAsterisk.APP)) {
      for (String leg : List.of("a", "b")) {
        s.rest("POST", "/channels", Map.of("endpoint",
            "PJSIP/loopback/sip:" + leg + "@127.0.0.1:" + farPort, "app", RealAsterisk.APP,
            "channelId", "tr-" + leg, "timeout", "10"));
      }
      s.await("StasisStart", "tr-a");
      s.await("StasisStart", "tr-b");
      s.rest("POST", "/channels", Map.of("endpoint", "Local/answer@phones", "app",
          RealAsterisk.APP, "channelId", "tr-l", "otherChannelId", "tr-l2", "timeout", "10"));
      s.await("StasisStart", "tr-l");
      out.add("local " + s.rest("POST", "/channels/tr-l/variable",
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "ari-only")));
      out.add("unknown " + s.rest("POST", "/channels/tr-b/variable",
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "sideways")));
      out.add("handling " + s.rest("POST", "/channels/tr-b/variable",
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "ari-only")));
      s.rest("POST", "/bridges/tr-br", Map.of("type", "mixing"));
      s.rest("POST", "/bridges/tr-br/addChannel", Map.of("channel", "tr-a,tr-b"));
      s.await("ChannelEnteredBridge", "tr-b");

      referrer.refer();
      JsonNode refer = s.await(e -> e.path("type").asText().equals("ChannelTransfer"),
          "ChannelTransfer");
      out.addAll(describe(refer));
      out.add("empty " + s.rest("POST", "/channels/tr-b/transfer_progress", Map.of()));
      out.add("bad " + s.rest("POST", "/channels/tr-b/transfer_progress",
          Map.of("states", "done")));
      out.add("answered " + s.rest("POST", "/channels/tr-b/transfer_progress",
          Map.of("states", "channel_answered")));
      JsonNode answered = s.await(e -> e.path("type").asText().equals("ChannelTransfer")
          && e.has("state"), "ChannelTransfer with its state");
      out.addAll(describe(answered));
      for (String id : List.of("tr-a", "tr-b", "tr-l")) {
        s.rest("DELETE", "/channels/" + id, Map.of());
        s.await("StasisEnd", id);
      }
      s.rest("DELETE", "/bridges/tr-br", Map.of());
    }
    return out;
  }

  /** The event's field paths, with the values the scenario decides. */
  private static List<String> describe(JsonNode event) {
    TreeSet<String> paths = new TreeSet<>();
    walk("", event, paths);
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (p.startsWith("/referred_by/source_channel/") || p.startsWith("/referred_by/connected_channel/")
          || p.startsWith("/referred_by/bridge/")) {
        if (!p.endsWith("/id")) {
          continue;
        }
      }
      JsonNode v = event.at(p);
      boolean decided = p.endsWith("/id") || p.equals("/type") || p.equals("/state")
          || p.endsWith("/destination") || p.equals("/application");
      out.add("ChannelTransfer " + p + (decided ? "=" + v.asText() : ""));
    }
    return out;
  }

  private static void walk(String at, JsonNode node, TreeSet<String> paths) {
    if (!node.isObject()) {
      paths.add(at);
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      walk(at + "/" + f.getKey(), f.getValue(), paths);
    }
  }
}
