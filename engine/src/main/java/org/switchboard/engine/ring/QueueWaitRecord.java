package org.switchboard.engine.ring;

import java.time.Instant;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of a {@code <Dial><Queue>} waiting for a caller ({@link DialDurability},
 * persistence id {@code Dial|<dequeuer CallSid>}, replaced by a {@link QueueDequeueRecord} at the
 * dequeue): the queue and when the wait began. A dial taken back after a restart from it waits on
 * for what is left of its timeout ({@code DialSession.resumeQueueWait}) and takes the first caller
 * that arrives, as before the restart.
 */
public record QueueWaitRecord(ParentCall parent, String queueName, Instant waitStartedAt)
    implements Durable {}
