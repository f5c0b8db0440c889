package org.switchboard.http.twilio;

import java.net.URI;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.SeedRequests;

/**
 * Twilio's answering machine detection parameters of {@code POST Calls.json} (docs/amd.md):
 * {@code MachineDetection} ({@code Enable} | {@code DetectMessageEnd}), {@code
 * MachineDetectionTimeout} (3–60 s, 30), {@code MachineDetectionSpeechThreshold} (1000–6000 ms,
 * 2400), {@code MachineDetectionSpeechEndThreshold} (500–5000 ms, 1200), {@code
 * MachineDetectionSilenceTimeout} (2000–10000 ms, 5000), {@code AsyncAmd}, {@code
 * AsyncAmdStatusCallback} and its {@code Method}. A bad value is a 400 naming the parameter.
 */
final class AmdParameters {
  private AmdParameters() {}

  /** The detection asked for; empty without {@code MachineDetection}. */
  static Optional<MachineDetection> read(TwilioForm params) {
    Optional<String> mode = params.first("MachineDetection");
    if (mode.isEmpty() || mode.get().isBlank() || mode.get().equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    MachineDetection.Mode parsed = null;
    for (MachineDetection.Mode m : MachineDetection.Mode.values()) {
      if (m.wire().equalsIgnoreCase(mode.get())) {
        parsed = m;
      }
    }
    if (parsed == null) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE,
          "MachineDetection must be Enable or DetectMessageEnd");
    }
    Optional<URI> callback = params.first("AsyncAmdStatusCallback").map(value -> {
      try {
        return SeedRequests.absoluteUrl(value, "AsyncAmdStatusCallback");
      } catch (ApiException e) {
        throw TwilioError.bad(TwilioError.INVALID_URL, e.getMessage());
      }
    });
    try {
      return Optional.of(new MachineDetection(parsed,
          number(params, "MachineDetectionTimeout", MachineDetection.DEFAULT_TIMEOUT),
          number(params, "MachineDetectionSpeechThreshold",
              MachineDetection.DEFAULT_SPEECH_THRESHOLD),
          number(params, "MachineDetectionSpeechEndThreshold",
              MachineDetection.DEFAULT_SPEECH_END_THRESHOLD),
          number(params, "MachineDetectionSilenceTimeout", MachineDetection.DEFAULT_SILENCE_TIMEOUT),
          callback,
          Method.parse(params.method("AsyncAmdStatusCallbackMethod", "POST"))));
    } catch (IllegalArgumentException e) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE, e.getMessage());
    }
  }

  /** {@code AsyncAmd=true}. */
  static boolean async(TwilioForm params) {
    return params.bool("AsyncAmd", false, TwilioError.CALLS_RESOURCE);
  }

  private static int number(TwilioForm params, String name, int fallback) {
    return params.first(name).map(value -> {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw TwilioError.bad(TwilioError.CALLS_RESOURCE, name + " must be a whole number");
      }
    }).orElse(fallback);
  }
}
