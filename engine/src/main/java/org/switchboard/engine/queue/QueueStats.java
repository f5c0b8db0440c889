package org.switchboard.engine.queue;

import java.util.List;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * A queue as the Queues REST resource shows it.
 *
 * @param averageWaitSeconds mean wait of the most recently dequeued members (0 when none yet)
 * @param members front first
 */
public record QueueStats(
    String queueSid,
    String name,
    int currentSize,
    int maxSize,
    int averageWaitSeconds,
    List<QueueMember> members)
    implements ClusterMessage {
  public QueueStats {
    members = List.copyOf(members);
  }
}
