package org.switchboard.engine.queue;

import java.time.Instant;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * A caller in a queue as the Queue Members REST resource shows it.
 *
 * @param position 1 for the front
 * @param waitTimeSeconds seconds since the caller joined
 */
public record QueueMember(String callSid, int position, int waitTimeSeconds, Instant dateEnqueued)
    implements ClusterMessage {}
