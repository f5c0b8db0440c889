package org.switchboard.http.stream;

import java.time.Instant;
import java.util.Optional;

/**
 * A change of a stream's state, as {@code <Stream statusCallback>} reports it (spec §2.6).
 *
 * @param type the {@code StreamEvent} value
 * @param streamSid the stream's SID
 * @param streamName the {@code name} attribute, else the SID
 * @param error the {@code StreamError} message for {@link Type#ERROR}
 * @param timestamp when it happened
 */
public record StreamEvent(
    Type type, String streamSid, String streamName, Optional<String> error, Instant timestamp) {

  /** The {@code StreamEvent} values. */
  public enum Type {
    /** The application's socket is connected and {@code start} was sent. */
    STARTED("stream-started"),
    /** The stream ended normally. */
    STOPPED("stream-stopped"),
    /** The stream failed. */
    ERROR("stream-error");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    /** The value as sent in the callback. */
    public String wire() {
      return wire;
    }
  }

  /** The timestamp in ISO 8601, as the callback's {@code Timestamp}. */
  public String isoTimestamp() {
    return timestamp.toString();
  }
}
