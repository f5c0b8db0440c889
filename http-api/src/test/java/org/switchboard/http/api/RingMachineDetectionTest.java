package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.engine.twiml.verb.MachineDetection;

/** The {@code machineDetection} option of {@code /ring} (docs/amd.md). */
class RingMachineDetectionTest {

  private static JsonNode ring(String extra) {
    return SeedRequests.parseObject(("{\"parentCallSid\":\"CA1\",\"callerNumber\":\"+15550001\","
        + "\"volunteers\":[{\"pubkey\":\"a\",\"phone\":\"+15550002\"}]" + extra + "}")
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutTheFieldNoDetection() {
    assertEquals(Optional.empty(), SeedRequests.ring(ring("")).machineDetection());
    assertEquals(Optional.empty(),
        SeedRequests.ring(ring(",\"machineDetection\":false")).machineDetection());
  }

  @Test
  void enableOrTrueDetectsWithTwiliosDefaults() {
    MachineDetection d = SeedRequests.ring(ring(",\"machineDetection\":true"))
        .machineDetection().orElseThrow();
    assertEquals(MachineDetection.of(MachineDetection.Mode.ENABLE), d);
    assertEquals(d, SeedRequests.ring(ring(",\"machineDetection\":\"Enable\""))
        .machineDetection().orElseThrow());
  }

  @Test
  void thresholdsAreTaken() {
    MachineDetection d = SeedRequests.ring(ring(",\"machineDetection\":\"DetectMessageEnd\","
        + "\"machineDetectionTimeout\":12,\"machineDetectionSpeechEndThreshold\":800"))
        .machineDetection().orElseThrow();
    assertEquals(MachineDetection.Mode.DETECT_MESSAGE_END, d.mode());
    assertEquals(12, d.timeout());
    assertEquals(800, d.speechEndThreshold());
  }

  @ParameterizedTest
  @ValueSource(strings = {",\"machineDetection\":\"Maybe\"", ",\"machineDetection\":3",
      ",\"machineDetection\":\"Enable\",\"machineDetectionTimeout\":2",
      ",\"machineDetection\":\"Enable\",\"machineDetectionSilenceTimeout\":\"long\""})
  void badValuesAreRefusedByName(String extra) {
    ApiException e = assertThrows(ApiException.class, () -> SeedRequests.ring(ring(extra)));
    assertTrue(e.getMessage().contains("machineDetection"), e.getMessage());
  }
}
