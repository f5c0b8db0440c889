package org.switchboard.engine.twiml.verb;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A Twilio {@code CallStatus} (spec §2.1), with its wire spelling. The statuses a call or leg
 * reports are spelled here and nowhere else in the engine.
 */
public enum CallStatus {
  QUEUED,
  INITIATED,
  RINGING,
  IN_PROGRESS,
  COMPLETED,
  BUSY,
  FAILED,
  NO_ANSWER,
  CANCELED;

  private final String wire = TwilioSpelling.of(this);

  /** The status as Twilio spells it. */
  public String wire() {
    return wire;
  }

  /** True for the final statuses (the call is over). */
  public boolean isFinal() {
    return switch (this) {
      case COMPLETED, BUSY, FAILED, NO_ANSWER, CANCELED -> true;
      case QUEUED, INITIATED, RINGING, IN_PROGRESS -> false;
    };
  }

  /** The status spelled {@code value} (case and surrounding blanks ignored), if it is one. */
  public static Optional<CallStatus> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.wire().equals(wanted)).findFirst();
  }

  /** The status spelled {@code wire}; an unknown spelling is an {@link IllegalArgumentException}. */
  public static CallStatus fromWire(String wire) {
    return parse(wire)
        .orElseThrow(() -> new IllegalArgumentException("not a CallStatus: " + wire));
  }

}
