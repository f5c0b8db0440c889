package org.switchboard.engine.twiml.verb;

/**
 * The {@code DequeueResult} of a {@code <Dial><Queue>} action (spec §1.3).
 * Spelled here ({@link #wire()}) and nowhere else in the engine.
 */
public enum DequeueResult {
  /** A caller was dequeued and bridged. */
  BRIDGED,
  /** Nobody waited in the queue. */
  QUEUE_EMPTY,
  /** The bridge with the dequeued caller failed. */
  SYSTEM_ERROR;

  private final String wire = TwilioSpelling.of(this);

  /** The value as Twilio spells it. */
  public String wire() {
    return wire;
  }
}
