package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.Optional;
import org.switchboard.engine.protocol.Durable;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.protocol.StoredLeg;

/**
 * The durable state of one outbound leg ({@link LegDurability}, persistence id {@code
 * Leg|<CallSid>}): what it was asked to ring, when it started, which of its reports already went
 * out (ringing, the answer) and the SequenceNumber of its next status callback, so a leg resumed
 * after a restart sends none of them again.
 */
public record LegRecord(
    String callSid,
    LegSpec spec,
    Instant startTime,
    boolean ringReported,
    Optional<Instant> answeredAt,
    int sequence)
    implements Durable, StoredLeg {}
