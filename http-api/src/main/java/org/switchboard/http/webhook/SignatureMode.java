package org.switchboard.http.webhook;

import java.util.Locale;

/** Which signatures outgoing webhooks carry. {@code X-Twilio-Signature} is always sent. */
public enum SignatureMode {
  /** {@code X-Twilio-Signature} only. */
  TWILIO("twilio"),
  /**
   * Also {@code X-Bridge-Signature} (hex HMAC-SHA256 of {@code "{seconds}.{body}"}) and {@code
   * X-Bridge-Timestamp} in seconds: the llamenos-hotline Worker's Asterisk adapter.
   */
  TWILIO_AND_BRIDGE("twilio+bridge"),
  /**
   * Also {@code X-Bridge-Signature} (base64 HMAC-SHA256 of {@code "{millis}.{url}.{body}"}) and
   * {@code X-Bridge-Timestamp} in milliseconds: the llamenos-platform lineage.
   */
  TWILIO_AND_BRIDGE_PLATFORM("twilio+bridge-platform");

  private final String wire;

  SignatureMode(String wire) {
    this.wire = wire;
  }

  /**
   * Parses the configuration value {@code twilio}, {@code twilio+bridge} (also {@code bridge}) or
   * {@code twilio+bridge-platform} (also {@code bridge-platform}).
   *
   * @throws IllegalArgumentException on anything else
   */
  public static SignatureMode parse(String value) {
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "twilio" -> TWILIO;
      case "twilio+bridge", "bridge" -> TWILIO_AND_BRIDGE;
      case "twilio+bridge-platform", "bridge-platform" -> TWILIO_AND_BRIDGE_PLATFORM;
      default -> throw new IllegalArgumentException("signature-mode must be 'twilio',"
          + " 'twilio+bridge' or 'twilio+bridge-platform', got '" + value + "'");
    };
  }

  /** The configuration spelling. */
  public String wire() {
    return wire;
  }
}
