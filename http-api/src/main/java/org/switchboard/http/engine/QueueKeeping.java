package org.switchboard.http.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.switchboard.engine.store.HistoryStore.QueueRecord;

/**
 * Which live queues' statistics the store needs again. The node lists its queues every second
 * (metrics, status, the REST API), and a hotline makes a queue per caller: writing every live
 * queue's row at each listing rewrote about 140 rows per hotline call. A queue's row is written
 * when it is new to this node, when its size limit or average wait changed, or, while callers
 * wait in it, when its row is older than {@link #REFRESH} (so its {@code updated} time stays
 * within that of the truth). An empty queue's statistics cannot change until a caller joins and
 * leaves again (which changes its average wait) or the REST API changes its size limit, so its
 * row is not refreshed: the node lists every queue it ever knew, passivated ones included, and
 * refreshing those rewrote every per-caller queue of a hotline once a minute for the node's life
 * (about 2-3 rows per hotline call in a load run of some minutes, growing with the node's age).
 */
final class QueueKeeping {
  /** A row whose statistics did not change is written again after this long. */
  static final Duration REFRESH = Duration.ofSeconds(60);

  private final Map<String, QueueRecord> written = new ConcurrentHashMap<>();

  /**
   * The rows of {@code live} to write at {@code now}; {@code occupied} holds the sids of the
   * queues callers wait in. With {@code complete} (the node's whole list of live queues), queues
   * not in it are forgotten, so a passivated queue's next listing writes it again.
   */
  List<QueueRecord> due(
      List<QueueRecord> live, Set<String> occupied, Instant now, boolean complete) {
    List<QueueRecord> out = new ArrayList<>();
    Set<String> seen = complete ? new HashSet<>() : Set.of();
    for (QueueRecord r : live) {
      if (complete) {
        seen.add(r.queueSid());
      }
      QueueRecord before = written.get(r.queueSid());
      if (before == null || before.maxSize() != r.maxSize()
          || before.averageWaitSeconds() != r.averageWaitSeconds()
          || occupied.contains(r.queueSid()) && !before.updated().plus(REFRESH).isAfter(now)) {
        written.put(r.queueSid(), r);
        out.add(r);
      }
    }
    if (complete) {
      written.keySet().retainAll(seen);
    }
    return out;
  }
}
