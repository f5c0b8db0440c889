package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.router.AriEventMapper;
import org.switchboard.asterisk.router.Routing;
import org.switchboard.engine.port.ChannelEvent;

/**
 * A SIP REFER from a bridged PJSIP channel with {@code PJSIP_TRANSFER_HANDLING()=ari-only}, as
 * Asterisk 22 reports it ({@code ChannelTransfer}, the schema's fields) and answers {@code
 * transfer_progress}; the event decoded and routed to the channel bridged to the transferer.
 */
class TransfersTest {
  @TempDir Path recordings;

  private static boolean transfer(JsonNode e) {
    return e.path("type").asText().equals("ChannelTransfer");
  }

  @Test
  void aReferOfABridgedLegBecomesChannelTransferAndItsProgressIsReported() {
    try (SimFixture f = new SimFixture(recordings)) {
      f.sim.addDialRule(new DialRule("PJSIP/agent*", DialBehaviour.parse("answer")));
      String caller = f.answeredCall();
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "PJSIP/agent@trunk", "app", "sb",
          "channelId", "leg1"));
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals("leg1"));
      String handling = "/ari/channels/leg1/variable";
      // Asterisk answers 204 to a refused function write and only logs the refusal
      assertEquals(204, f.client.rest("POST", "/ari/channels/" + caller + "/variable",
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "ari-only")).status());
      assertEquals(204, f.client.rest("POST", handling,
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "sideways")).status());
      assertThrows(IllegalStateException.class, () -> f.sim.refer("leg1", "agentb"),
          "a refused value changed nothing: core transfer handling, not simulated");
      assertEquals(204, f.client.rest("POST", handling,
          Map.of("variable", "PJSIP_TRANSFER_HANDLING()", "value", "ari-only")).status());
      assertFalse(f.has("ChannelVarset", "/variable", "PJSIP_TRANSFER_HANDLING()"),
          "writing a dialplan function publishes no ChannelVarset");
      f.client.rest("POST", "/ari/bridges", Map.of("bridgeId", "br1", "type", "mixing"));
      f.client.rest("POST", "/ari/bridges/br1/addChannel", Map.of("channel", caller + ",leg1"));
      f.events.await(e -> e.path("type").asText().equals("ChannelEnteredBridge")
          && e.path("channel").path("id").asText().equals("leg1"));

      f.sim.refer("leg1", "agentb");
      JsonNode refer = f.events.await(TransfersTest::transfer);
      assertFalse(refer.has("state"), "the REFER itself has no state: " + refer);
      assertEquals("agentb", refer.at("/refer_to/requested_destination/destination").asText());
      assertEquals("leg1", refer.at("/referred_by/source_channel/id").asText());
      assertEquals(caller, refer.at("/referred_by/connected_channel/id").asText());
      assertEquals("br1", refer.at("/referred_by/bridge/id").asText());
      assertEquals("sb", refer.path("application").asText());

      AriEvent decoded = new AriJson().decode(refer.toString());
      Routing routed = new AriEventMapper(Set.of(), Set.of()).map("ast1", decoded);
      ChannelEvent.TransferRequested event = (ChannelEvent.TransferRequested)
          ((Routing.ToChannel) routed).event();
      assertEquals(caller, event.id(), "routed to the call being transferred");
      assertEquals("leg1", event.transferer());
      assertEquals("agentb", event.destination());
      assertEquals(Optional.of("br1"), event.bridgeId());
      assertEquals(Optional.empty(), event.state());

      String progress = "/ari/channels/leg1/transfer_progress";
      assertEquals(400, f.client.rest("POST", progress, Map.of()).status());
      assertEquals(400, f.client.rest("POST", progress, Map.of("states", "done")).status());
      assertEquals(404, f.client.rest("POST", "/ari/channels/nope/transfer_progress",
          Map.of("states", "channel_answered")).status());
      assertEquals(204, f.client.rest("POST", progress,
          Map.of("states", "channel_progress")).status());
      assertEquals(204, f.client.rest("POST", progress,
          Map.of("states", "channel_answered")).status());
      f.events.await(e -> transfer(e) && e.path("state").asText().equals("channel_answered"));
      assertEquals(204, f.client.rest("POST", progress,
          Map.of("states", "channel_declined")).status());
      List<String> states = f.events.received.stream().filter(TransfersTest::transfer)
          .map(e -> e.path("state").asText("")).toList();
      assertEquals(List.of("", "channel_progress", "channel_answered"), states,
          "a report after the REFER ended emits nothing");
      assertTrue(f.sim.log().requests().stream()
          .anyMatch(r -> r.path().endsWith("/transfer_progress")));
    }
  }
}
