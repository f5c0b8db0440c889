package org.switchboard.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The {@code machineDetection} option of {@code /ring} and {@code /command ring} (docs/amd.md):
 * {@code "Enable"}, {@code "DetectMessageEnd"} or {@code true} (= {@code Enable}); absent, {@code
 * false}, {@code null} or {@code "none"}: no detection. Twilio's thresholds may follow as {@code
 * machineDetectionTimeout} (s), {@code machineDetectionSpeechThreshold}, {@code
 * machineDetectionSpeechEndThreshold}, {@code machineDetectionSilenceTimeout} (ms). A volunteer
 * leg a machine answers is hung up and reported {@code no-answer}, never bridged.
 */
final class RingMachineDetection {
  private RingMachineDetection() {}

  static Optional<MachineDetection> read(JsonNode body) {
    JsonNode node = body.get("machineDetection");
    if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
      return Optional.empty();
    }
    MachineDetection.Mode mode;
    if (node.isBoolean()) {
      mode = MachineDetection.Mode.ENABLE;
    } else if (node.isTextual() && node.asText().equalsIgnoreCase("none")) {
      return Optional.empty();
    } else if (node.isTextual() && node.asText().equalsIgnoreCase("Enable")) {
      mode = MachineDetection.Mode.ENABLE;
    } else if (node.isTextual() && node.asText().equalsIgnoreCase("DetectMessageEnd")) {
      mode = MachineDetection.Mode.DETECT_MESSAGE_END;
    } else {
      throw ApiException.invalidParameter(
          "machineDetection must be \"Enable\", \"DetectMessageEnd\", true or false");
    }
    try {
      return Optional.of(new MachineDetection(mode,
          number(body, "machineDetectionTimeout", MachineDetection.DEFAULT_TIMEOUT),
          number(body, "machineDetectionSpeechThreshold", MachineDetection.DEFAULT_SPEECH_THRESHOLD),
          number(body, "machineDetectionSpeechEndThreshold",
              MachineDetection.DEFAULT_SPEECH_END_THRESHOLD),
          number(body, "machineDetectionSilenceTimeout", MachineDetection.DEFAULT_SILENCE_TIMEOUT),
          Optional.empty(), Method.POST));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(e.getMessage());
    }
  }

  private static int number(JsonNode body, String name, int fallback) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw ApiException.invalidParameter(name + " must be a whole number");
    }
    return n.asInt();
  }
}
