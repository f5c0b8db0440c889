package org.switchboard.engine.protocol;

import java.time.Instant;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;

/**
 * A call as the REST API and /status show it (Twilio Call resource fields).
 *
 * @param status Twilio CallStatus
 * @param direction {@code inbound}, {@code outbound-api} or {@code outbound-dial}
 * @param answeredBy the verdict of answering machine detection ({@code AnsweredBy}), if it ran
 */
public record CallSnapshot(
    String callSid,
    Optional<String> parentCallSid,
    ChannelRef channel,
    String from,
    String to,
    String status,
    String direction,
    Instant startTime,
    Optional<Instant> answerTime,
    Optional<Instant> endTime,
    Optional<String> answeredBy)
    implements ClusterMessage {

  /** A call on which no answering machine detection ran. */
  public CallSnapshot(
      String callSid,
      Optional<String> parentCallSid,
      ChannelRef channel,
      String from,
      String to,
      String status,
      String direction,
      Instant startTime,
      Optional<Instant> answerTime,
      Optional<Instant> endTime) {
    this(callSid, parentCallSid, channel, from, to, status, direction, startTime, answerTime,
        endTime, Optional.empty());
  }
}
