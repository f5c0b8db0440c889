package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A late fault ({@link SimFault#late}, armed over the control API): the request is held for its
 * delay on the simulator's clock, then carried out and answered, however long its client waited.
 */
class LateFaultTest {
  @TempDir Path recordings;

  @Test
  void aLateOriginateCreatesItsChannelOnlyAfterTheDelayAndIsAnsweredThen() {
    try (SimFixture f = new SimFixture(recordings)) {
      SimTestClient.Response armed = f.client.send("POST", "/sim/faults", null,
          "{\"method\":\"POST\",\"path\":\"channels/sb-late*\",\"lateMs\":5000}", false);
      assertEquals(200, armed.status());

      CompletableFuture<SimTestClient.Response> originate = CompletableFuture.supplyAsync(() ->
          f.client.rest("POST", "/ari/channels/sb-late-1",
              Map.of("endpoint", "PJSIP/100", "app", "sb")));
      AtomicLong advanced = new AtomicLong();
      SimTestClient.awaitTrue(() -> {
        if (!originate.isDone()) {
          // The request runs at its arrival + 5 s, so not before 5 s of simulated time.
          assertFalse(advanced.get() < 5000
                  && f.sim.channels().stream().anyMatch(c -> c.id().equals("sb-late-1")),
              "the channel exists after " + advanced + " ms, before the request ran");
          f.advance(500);
          advanced.addAndGet(500);
        }
        return originate.isDone();
      }, "the late originate is answered");

      assertEquals(200, originate.join().status());
      assertTrue(advanced.get() >= 5000, "answered after " + advanced + " ms of 5000");
      assertTrue(f.sim.channels().stream().anyMatch(c -> c.id().equals("sb-late-1")));
      // The fault is used up: the next one runs at once.
      assertEquals(200, f.client.rest("POST", "/ari/channels/sb-late-2",
          Map.of("endpoint", "PJSIP/100", "app", "sb")).status());
    }
  }

  @Test
  void theControlApiRefusesAFaultItCannotPlay() {
    try (SimFixture f = new SimFixture(recordings)) {
      assertEquals(400, f.client.send("POST", "/sim/faults", null,
          "{\"method\":\"POST\",\"path\":\"channels\"}", false).status());
      assertEquals(400, f.client.send("POST", "/sim/faults", null,
          "{\"method\":\"POST\",\"path\":\"channels\",\"lateMs\":-1}", false).status());
      assertEquals(200, f.client.send("POST", "/sim/faults", null,
          "{\"method\":\"GET\",\"path\":\"channels\",\"status\":503}", false).status());
      assertEquals(503, f.client.rest("GET", "/ari/channels", Map.of()).status());
      f.client.send("POST", "/sim/faults", null,
          "{\"method\":\"GET\",\"path\":\"channels\",\"status\":503}", false);
      assertEquals(200, f.client.send("DELETE", "/sim/faults", null, null, false).status());
      assertEquals(200, f.client.rest("GET", "/ari/channels", Map.of()).status());
    }
  }
}
