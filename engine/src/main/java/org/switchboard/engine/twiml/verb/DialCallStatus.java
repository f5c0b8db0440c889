package org.switchboard.engine.twiml.verb;

/**
 * The {@code DialCallStatus} of a {@code <Dial>} action (spec §1.3).
 * Spelled here ({@link #wire()}) and nowhere else in the engine.
 */
public enum DialCallStatus {
  /** A party answered and the call was bridged. */
  COMPLETED,
  /** A conference was joined. */
  ANSWERED,
  /** Every party was busy. */
  BUSY,
  /** Nobody answered in time. */
  NO_ANSWER,
  /** The dial could not be placed. */
  FAILED,
  /** The dial was canceled. */
  CANCELED;

  private final String wire = TwilioSpelling.of(this);

  /** The value as Twilio spells it. */
  public String wire() {
    return wire;
  }
}
