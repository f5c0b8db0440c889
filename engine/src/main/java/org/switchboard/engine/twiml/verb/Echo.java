package org.switchboard.engine.twiml.verb;

/**
 * {@code <Echo>}: the caller hears what it says (an echo test), for {@link #SECONDS} seconds or
 * until it hangs up; then the next verb runs. Twilio documents no attribute and no length for it;
 * 60 s is the default of the compatible SignalWire {@code <Echo>}.
 */
public record Echo() implements Verb {
  /** How long the caller's audio is echoed. */
  public static final int SECONDS = 60;
}
