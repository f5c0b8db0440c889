package org.switchboard.engine.script;

import java.util.Arrays;

/**
 * A Twilio {@code CallStatus} (spec §2.1), with its wire spelling. The statuses a call or leg
 * reports are spelled here and nowhere else in the engine.
 */
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

  /** The status as Twilio spells it. */
  public String wire() {
    return wire;
  }

  /** The status spelled {@code wire}; an unknown spelling is an {@link IllegalArgumentException}. */
  public static CallStatus fromWire(String wire) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(wire))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a CallStatus: " + wire));
  }

  @Override
  public String toString() {
    return wire;
  }
}
