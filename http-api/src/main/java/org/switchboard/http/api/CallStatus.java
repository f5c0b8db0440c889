package org.switchboard.http.api;

import java.util.Locale;

/** Twilio's CallStatus values (spec §1.2), carrying their wire string. */
public enum CallStatus {
  QUEUED("queued"),
  INITIATED("initiated"),
  RINGING("ringing"),
  IN_PROGRESS("in-progress"),
  COMPLETED("completed"),
  BUSY("busy"),
  FAILED("failed"),
  NO_ANSWER("no-answer"),
  CANCELED("canceled");

  private final String wire;

  CallStatus(String wire) {
    this.wire = wire;
  }

  /** The value as Twilio writes it. */
  public String wire() {
    return wire;
  }

  /** True for the final statuses (the call is over). */
  public boolean isFinal() {
    return switch (this) {
      case COMPLETED, BUSY, FAILED, NO_ANSWER, CANCELED -> true;
      default -> false;
    };
  }

  /** The status with this wire string (case-insensitive), or null. */
  public static CallStatus fromWire(String value) {
    if (value == null) {
      return null;
    }
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    for (CallStatus status : values()) {
      if (status.wire.equals(wanted)) {
        return status;
      }
    }
    return null;
  }
}
