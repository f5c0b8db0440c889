package org.switchboard.engine.twiml.verb;

import java.util.Objects;

/**
 * {@code <Reject>}: refuse the call without answering it. As the first verb the final status is
 * {@code busy} or {@code no-answer}; after answer it acts as a hangup.
 *
 * @param reason default {@code rejected}
 */
public record Reject(Reason reason) implements Verb {

  public Reject {
    Objects.requireNonNull(reason, "reason");
  }

  /** Values of {@code reason}. */
  public enum Reason implements WireEnum {
    REJECTED("rejected"),
    BUSY("busy");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }
}
