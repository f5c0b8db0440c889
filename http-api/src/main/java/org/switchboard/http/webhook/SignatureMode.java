package org.switchboard.http.webhook;

import java.util.Locale;

/** Which signatures outgoing webhooks carry. {@code X-Twilio-Signature} is always sent. */
public enum SignatureMode {
  /** {@code X-Twilio-Signature} only. */
  TWILIO("twilio"),
  /** Also {@code X-Bridge-Signature} and {@code X-Bridge-Timestamp} (Llamenos Worker mode). */
  TWILIO_AND_BRIDGE("twilio+bridge");

  private final String wire;

  SignatureMode(String wire) {
    this.wire = wire;
  }

  /**
   * Parses the configuration value {@code twilio} or {@code twilio+bridge} (also {@code bridge}).
   *
   * @throws IllegalArgumentException on anything else
   */
  public static SignatureMode parse(String value) {
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "twilio" -> TWILIO;
      case "twilio+bridge", "bridge" -> TWILIO_AND_BRIDGE;
      default -> throw new IllegalArgumentException(
          "signature-mode must be 'twilio' or 'twilio+bridge', got '" + value + "'");
    };
  }

  /** The configuration spelling. */
  public String wire() {
    return wire;
  }
}
