package org.switchboard.engine.ring;

import java.time.Instant;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of a {@code <Dial><Queue>} between the dequeue and the bridge ({@link
 * DialDurability}, persistence id {@code Dial|<dequeuer CallSid>}, replaced by a {@link
 * QueueDialRecord} once bridged): the queue, the caller it took out of it (CallSid, channel,
 * enqueue time) and how long that caller waited. A dial taken back after a restart from it bridges
 * that caller at once ({@code DialSession.resumeDequeued}): the rest of the {@code <Queue url>}
 * announcement is not played, and when the bridge ends the caller's call entity is told its
 * Enqueue result as for a {@link QueueDialRecord}.
 */
public record QueueDequeueRecord(
    ParentCall parent,
    String queueSid,
    String queueName,
    int queueTimeSeconds,
    String memberCallSid,
    ChannelRef memberChannel,
    Instant enqueuedAt)
    implements Durable {}
