package org.switchboard.engine.twiml.verb;

/**
 * The {@code QueueResult} of an {@code <Enqueue>} action (spec §1.3), and the reason a call leaves
 * its queue.
 * Spelled here ({@link #wire()}) and nowhere else in the engine.
 */
public enum QueueResult {
  /** The caller was bridged to its dequeuer. */
  BRIDGED,
  /** The caller hung up while waiting. */
  HANGUP,
  /** A {@code <Leave>} took the caller out. */
  LEAVE,
  /** A REST redirect took the caller out. */
  REDIRECTED,
  /** A bad wait document or a failed wait request. */
  ERROR,
  /** The queue was full. */
  QUEUE_FULL,
  /** The queue could not be reached. */
  SYSTEM_ERROR;

  private final String wire = TwilioSpelling.of(this);

  /** The value as Twilio spells it. */
  public String wire() {
    return wire;
  }
}
