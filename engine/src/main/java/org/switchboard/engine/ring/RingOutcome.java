package org.switchboard.engine.ring;

import java.util.Map;
import java.util.Objects;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.LegReport;

/**
 * What a {@link RingGroup} tells its parent: exactly one {@link Answered} or {@link Unanswered};
 * after {@link Answered}, one {@link WinnerEnded} when the winning leg is over; a sequential
 * group also tells each {@link NextLegStarted}.
 */
public sealed interface RingOutcome {

  /**
   * One leg won. {@code legStatuses} holds the final status of every other leg started so far
   * ({@code canceled} for the ones just cancelled).
   *
   * @param index the position of the winning leg in the group's list
   */
  record Answered(
      String legCallSid, ChannelRef channel, int index, Map<String, String> legStatuses)
      implements RingOutcome {
    public Answered {
      Objects.requireNonNull(channel, "channel");
      legStatuses = Map.copyOf(legStatuses);
    }
  }

  /**
   * Nobody answered. {@code status} is the dial's status: {@code busy} when every leg was busy,
   * {@code failed} when every leg failed, {@code canceled} when the parent stopped it, {@code
   * no-answer} otherwise.
   *
   * @param legStatuses final status per started leg, by leg CallSid
   * @param lastLeg the last leg started, for DialCallSid
   * @param lastSipCode the SIP response that ended the last leg, when its cause maps to one
   */
  record Unanswered(String status, Map<String, String> legStatuses, String lastLeg,
      java.util.Optional<Integer> lastSipCode)
      implements RingOutcome {
    public Unanswered {
      legStatuses = Map.copyOf(legStatuses);
      Objects.requireNonNull(lastSipCode, "lastSipCode");
    }

    /** Without a SIP response. */
    public Unanswered(String status, Map<String, String> legStatuses, String lastLeg) {
      this(status, legStatuses, lastLeg, java.util.Optional.empty());
    }
  }

  /** The winning leg ended (its far end or someone hung it up). */
  record WinnerEnded(LegReport.LegEnded ended) implements RingOutcome {}

  /**
   * A sequential group started its leg {@code index}; {@code endedStatuses} are the final statuses
   * of the legs before it, in order (what a restart needs to go on with the sequence).
   */
  record NextLegStarted(int index, java.util.List<String> endedStatuses) implements RingOutcome {
    public NextLegStarted {
      endedStatuses = java.util.List.copyOf(endedStatuses);
    }
  }
}
