package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link gap ({@code dropSockets(gap)}, {@code POST /sim/sockets/drop?ms=}): every socket closes,
 * reconnects are refused until the gap is over, and the events of the gap are lost (as Asterisk's
 * {@code app_send} drops them for an app without a handler), listed by {@code SimLog.missed()}.
 */
class LinkGapTest {
  @TempDir Path recordings;

  @Test
  void eventsOfTheGapAreLostAndReconnectsRefusedUntilItEnds() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      assertEquals(201, f.client.rest("POST", "/ari/channels/" + call + "/play",
          Map.of("media", "sound:beep", "playbackId", "pb1")).status());
      f.sim.dropSockets(Duration.ofSeconds(1));
      SimTestClient.awaitTrue(() -> f.events.closed, "server closed the socket");
      CompletionException refused =
          assertThrows(CompletionException.class, () -> f.client.connect("sb", true));
      assertTrue(String.valueOf(refused.getCause()).contains("503")
          || String.valueOf(refused.getCause()).toLowerCase().contains("handshake"),
          String.valueOf(refused.getCause()));
      f.advance(500);
      assertTrue(f.sim.playbacks().isEmpty(), "the playback ended during the gap");
      List<String> missed = f.sim.log().missed().stream().map(SimLog.Event::type).toList();
      assertTrue(missed.contains("PlaybackFinished"), missed.toString());
      assertThrows(CompletionException.class, () -> f.client.connect("sb", true));
      f.advance(600);
      SimTestClient.Events again = f.client.connect("sb", true);
      assertEquals(404, f.client.rest("GET", "/ari/playbacks/pb1", Map.of()).status(),
          "the reconnected app learns it by asking");
      f.client.rest("DELETE", "/ari/channels/" + call, Map.of());
      again.await(e -> e.path("type").asText().equals("StasisEnd"));
      assertTrue(again.types().stream().noneMatch(t -> t.equals("PlaybackFinished")),
          "nothing of the gap is replayed: " + again.types());
    }
  }

  @Test
  void theControlApiDropsForTheGivenMilliseconds() {
    try (SimFixture f = new SimFixture(recordings)) {
      SimTestClient.Response r =
          f.client.send("POST", "/sim/sockets/drop", Map.of("ms", 2000), null, false);
      assertEquals(200, r.status(), String.valueOf(r.body()));
      assertEquals(2000, r.body().path("ms").asInt());
      SimTestClient.awaitTrue(() -> f.events.closed, "server closed the socket");
      assertThrows(CompletionException.class, () -> f.client.connect("sb", true));
      f.advance(2000);
      f.client.connect("sb", true);
      assertEquals(400, f.client.send("POST", "/sim/sockets/drop", Map.of("ms", "x"), null, false)
          .status());
    }
  }
}
