package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.switchboard.engine.protocol.Durable;
import org.switchboard.engine.protocol.LegSpec;

/**
 * The durable state of one API {@code /ring} (persistence id {@code Ring|<parent CallSid>-<ring
 * id>}, the ring id its legs carry as a channel variable, {@code hotline.ApiRing}): the
 * legs it rings, since when and for how long, and once one answered, the index of the winner. A
 * ring taken back after a restart rings its legs on for what is left of {@code timeoutSeconds}
 * ({@link RingGroup#resume}), the first to answer still winning.
 */
public record RingRecord(
    String parentCallSid,
    List<LegSpec> legs,
    Instant ringStartedAt,
    int timeoutSeconds,
    Optional<Integer> winner)
    implements Durable {

  /** The same ring, won by the leg {@code index}. */
  public RingRecord won(int index) {
    return new RingRecord(parentCallSid, legs, ringStartedAt, timeoutSeconds, Optional.of(index));
  }
}
