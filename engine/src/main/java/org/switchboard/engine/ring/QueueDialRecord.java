package org.switchboard.engine.ring;

import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of a {@code <Dial><Queue>} once the caller it took out of the queue is bridged
 * ({@link DialDurability}, persistence id {@code Dial|<dequeuer CallSid>}, as a {@link DialRecord}):
 * the queue and how long the caller waited in it, and the bridge ({@code bridged}: the caller's
 * CallSid and channel, since when, the dial recording). A dial taken back after a restart from it
 * keeps the bridge and, when it ends, tells the caller's call entity its Enqueue result ({@code
 * bridged}, QueueSid, QueueTime).
 */
public record QueueDialRecord(
    ParentCall parent,
    String queueSid,
    String queueName,
    int queueTimeSeconds,
    DialRecord.Bridged bridged)
    implements Durable {

  QueueDialRecord withRecordingStarted() {
    DialRecord.Bridged b = bridged;
    return new QueueDialRecord(parent, queueSid, queueName, queueTimeSeconds,
        new DialRecord.Bridged(b.legCallSid(), b.channel(), b.legIndex(), b.bridgedAt(),
            b.recordingSid(), true));
  }
}
