package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.List;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of a sequential {@code <Dial>} ({@link DialDurability}, persistence id {@code
 * Dial|<parent CallSid>}, in place of its {@link DialRecord} while nobody answered): its record,
 * the leg {@code current} that rings since {@code currentSince}, and the final statuses of the legs
 * before it. A dial taken back after a restart goes on with the sequence from there ({@link
 * RingGroup#resumeSequence}): the current leg rings on for what is left of its timeout and the
 * legs after it start one after another.
 */
public record DialSequence(
    DialRecord dial, int current, List<String> endedStatuses, Instant currentSince)
    implements Durable {}
