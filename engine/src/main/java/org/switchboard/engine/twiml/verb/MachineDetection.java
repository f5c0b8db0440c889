package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Answering-machine detection on a {@link Number} or {@link Sip} noun ({@code machineDetection}
 * and its companions). Present only when {@code machineDetection} is.
 *
 * @param mode {@code Enable} or {@code DetectMessageEnd}
 * @param timeout {@code machineDetectionTimeout}, 3–60 s, default 30
 * @param speechThreshold {@code machineDetectionSpeechThreshold}, 1000–6000 ms, default 2400
 * @param speechEndThreshold {@code machineDetectionSpeechEndThreshold}, 500–5000 ms, default 1200
 * @param silenceTimeout {@code machineDetectionSilenceTimeout}, 2000–10000 ms, default 5000
 * @param amdStatusCallback resolved URL for the asynchronous result, if any
 * @param amdStatusCallbackMethod default POST
 */
public record MachineDetection(
    Mode mode,
    int timeout,
    int speechThreshold,
    int speechEndThreshold,
    int silenceTimeout,
    Optional<URI> amdStatusCallback,
    Method amdStatusCallbackMethod) {

  public static final int DEFAULT_TIMEOUT = 30;
  public static final int DEFAULT_SPEECH_THRESHOLD = 2400;
  public static final int DEFAULT_SPEECH_END_THRESHOLD = 1200;
  public static final int DEFAULT_SILENCE_TIMEOUT = 5000;

  public MachineDetection {
    Objects.requireNonNull(mode, "mode");
    Checks.range("machineDetectionTimeout", timeout, 3, 60);
    Checks.range("machineDetectionSpeechThreshold", speechThreshold, 1000, 6000);
    Checks.range("machineDetectionSpeechEndThreshold", speechEndThreshold, 500, 5000);
    Checks.range("machineDetectionSilenceTimeout", silenceTimeout, 2000, 10000);
    Objects.requireNonNull(amdStatusCallback, "amdStatusCallback");
    Objects.requireNonNull(amdStatusCallbackMethod, "amdStatusCallbackMethod");
  }

  /** Detection with every threshold at its default. */
  public static MachineDetection of(Mode mode) {
    return new MachineDetection(
        mode,
        DEFAULT_TIMEOUT,
        DEFAULT_SPEECH_THRESHOLD,
        DEFAULT_SPEECH_END_THRESHOLD,
        DEFAULT_SILENCE_TIMEOUT,
        Optional.empty(),
        Method.POST);
  }

  /** Values of {@code machineDetection}. */
  public enum Mode implements WireEnum {
    ENABLE("Enable"),
    DETECT_MESSAGE_END("DetectMessageEnd");

    private final String wire;

    Mode(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }
}
