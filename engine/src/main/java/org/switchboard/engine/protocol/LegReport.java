package org.switchboard.engine.protocol;

import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;

/** What a leg tells the ring group (or API request) that started it. */
public sealed interface LegReport extends ClusterMessage {

  String legCallSid();

  /** The far end is ringing. */
  record LegRinging(String legCallSid) implements LegReport {}

  /**
   * The far end picked up, and the leg runs answering machine detection or its whisper before it
   * reports {@link LegAnswered} (or ends): the group's ring timeout no longer applies to it.
   */
  record LegPickedUp(String legCallSid) implements LegReport {}

  /** The far end answered; the group decides atomically whether this leg wins. */
  record LegAnswered(String legCallSid, ChannelRef channel) implements LegReport {}

  /**
   * The leg is over. {@code status} is a Twilio CallStatus ({@code completed}, {@code busy},
   * {@code no-answer}, {@code failed}, {@code canceled}); {@code durationSeconds} counts from
   * answer; {@code sipCode} when Asterisk gave one.
   */
  record LegEnded(String legCallSid, String status, int durationSeconds, Optional<Integer> sipCode)
      implements LegReport {}
}
