package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * What Asterisk's {@code AMD()} concludes about the far end of a channel continued into the
 * {@code switchboard-amd} dialplan (conf/extensions.conf), and after how long: {@code AMDSTATUS}
 * ({@code HUMAN}, {@code MACHINE}, {@code NOTSURE}, {@code HANGUP}), {@code AMDCAUSE} (e.g.
 * {@code HUMAN-1200-1200}, {@code MAXWORDS-4-3}, {@code LONGGREETING-2400-2400}) and, for a machine
 * followed to the end of its message, {@code WAITSTATUS} ({@code SILENCE}, {@code TIMEOUT}).
 *
 * @param waitStatus empty unless the extension asks to wait for the end of the message
 */
public record AmdOutcome(String status, String cause, Duration after, String waitStatus) {

  public AmdOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(waitStatus, "waitStatus");
  }

  /** A person who says a short hello: {@code HUMAN} after {@code after}. */
  public static AmdOutcome human(Duration after) {
    return new AmdOutcome("HUMAN", "HUMAN-1200-1200", after, "");
  }

  /** A voicemail greeting: {@code MACHINE} ({@code MAXWORDS}) after {@code after}. */
  public static AmdOutcome machine(Duration after) {
    return new AmdOutcome("MACHINE", "MAXWORDS-4-3", after, "SILENCE");
  }
}
