package org.switchboard.http.engine;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.queue.QueueMember;
import org.switchboard.engine.queue.QueueStats;
import org.switchboard.engine.store.HistoryStore;
import org.switchboard.engine.store.HistoryStore.QueueRecord;
import org.switchboard.engine.queue.Queues;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.QueueControl;

/**
 * The HTTP API's {@link QueueControl} over the engine's queue entities: stats and members come
 * from the queue actor; dequeuing a member redirects its call to the given URL, which makes it
 * leave the queue (its Enqueue action, if any, is not requested: Twilio's {@code redirected}).
 * Every live answer is kept in the {@link HistoryStore}, which lists queues this node no longer
 * holds (passivated, or used before a restart or by another node) with their last statistics and
 * no members.
 */
public final class EngineQueueControl implements QueueControl {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(EngineQueueControl.class);
  private final CallOperations ops;
  private final HistoryStore store;
  private final Instant started = Instant.now();
  private final QueueKeeping keeping = new QueueKeeping();

  public EngineQueueControl(CallOperations ops, HistoryStore store) {
    this.ops = ops;
    this.store = store;
  }

  @Override
  public CompletionStage<Page<QueueInfo>> listQueues(int offset, int limit) {
    CompletionStage<List<QueueRecord>> kept =
        store.listQueues().exceptionally(e -> List.of());
    return ops.allQueueStats()
        .thenApply(live -> kept(live, true))
        .thenCombine(kept, (live, known) -> {
          java.util.Map<String, QueueInfo> all = new java.util.TreeMap<>();
          known.forEach(q -> all.put(q.name(), info(q)));
          live.forEach(s -> all.put(s.name(), info(s)));
          return page(List.copyOf(all.values()), offset, limit);
        });
  }

  @Override
  public CompletionStage<QueueInfo> fetchQueue(String queueSid) {
    if (ops.queues().nameOf(queueSid).isEmpty()) {
      return store.listQueues().thenApply(known -> known.stream()
          .filter(q -> q.queueSid().equals(queueSid))
          .findFirst()
          .map(this::info)
          .orElseThrow(() -> ApiException.notFound("queue " + queueSid + " not found")));
    }
    return stats(queueSid).thenApply(s -> info(kept(List.of(s), false).get(0)));
  }

  /**
   * Every node that knows a queue records its statistics as it answers them; also called by the
   * node on a schedule, so a queue nobody asks about is kept too.
   */
  public CompletionStage<Void> keepLiveQueues() {
    return ops.allQueueStats().thenAccept(live -> kept(live, true));
  }

  /** Writes what changed of {@code live} ({@link QueueKeeping}); {@code complete}: every queue. */
  private List<QueueStats> kept(List<QueueStats> live, boolean complete) {
    Instant now = Instant.now();
    java.util.Set<String> occupied = live.stream().filter(s -> s.currentSize() > 0)
        .map(QueueStats::queueSid).collect(java.util.stream.Collectors.toSet());
    List<QueueRecord> due = keeping.due(live.stream().map(s -> new QueueRecord(s.queueSid(),
        s.name(), s.maxSize(), s.averageWaitSeconds(), now)).toList(), occupied, now, complete);
    if (!due.isEmpty()) {
      store.queuesSeen(due);
    }
    return live;
  }

  @Override
  public CompletionStage<Page<MemberInfo>> listMembers(String queueSid, int offset, int limit) {
    return stats(queueSid)
        .thenApply(s -> page(s.members().stream().map(m -> member(s, m)).toList(), offset, limit));
  }

  @Override
  public CompletionStage<MemberInfo> fetchMember(String queueSid, String callSidOrFront) {
    return stats(queueSid).thenApply(s -> member(s, find(s, callSidOrFront)));
  }

  @Override
  public CompletionStage<MemberInfo> dequeue(
      String queueSid, String callSidOrFront, URI url, String method) {
    return stats(queueSid)
        .thenCompose(
            s -> {
              MemberInfo member = member(s, find(s, callSidOrFront));
              return ops.redirect(member.callSid(), Optional.of(url), Method.parse(method), Optional.empty())
                  .thenApply(snapshot -> member);
            })
        .exceptionally(
            e -> {
              Throwable cause = Failures.cause(e);
              if (cause instanceof ApiException api) {
                throw api;
              }
              if (cause instanceof CallOperations.NoSuchCall) {
                throw ApiException.notFound("the member's call has ended");
              }
              throw new IllegalStateException(cause.getMessage(), cause);
            });
  }

  private CompletionStage<QueueStats> stats(String queueSid) {
    Optional<String> name = ops.queues().nameOf(queueSid);
    if (name.isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.notFound("queue " + queueSid + " not found"));
    }
    return ops.queueStats(name.get());
  }

  private static QueueMember find(QueueStats s, String callSidOrFront) {
    List<QueueMember> members = s.members();
    if (FRONT.equals(callSidOrFront)) {
      return members.stream()
          .min(java.util.Comparator.comparingInt(QueueMember::position))
          .orElseThrow(() -> ApiException.notFound("queue " + s.queueSid() + " is empty"));
    }
    return members.stream()
        .filter(m -> m.callSid().equals(callSidOrFront))
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("call " + callSidOrFront + " is not in queue " + s.queueSid()));
  }

  @Override
  public CompletionStage<QueueInfo> createQueue(String friendlyName, OptionalInt maxSize) {
    Queues.Entry entry = ops.queues().create(friendlyName, maxSize);
    return stats(entry.sid()).thenApply(this::info);
  }

  @Override
  public CompletionStage<QueueInfo> resizeQueue(String queueSid, int maxSize) {
    if (ops.queues().resize(queueSid, maxSize).isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.notFound("queue " + queueSid + " not found"));
    }
    // The actor applies the new size asynchronously; answer what was set.
    return stats(queueSid).thenApply(s -> info(new QueueStats(s.queueSid(), s.name(),
        s.currentSize(), maxSize, s.averageWaitSeconds(), s.members())));
  }

  @Override
  public CompletionStage<Void> deleteQueue(String queueSid) {
    return ops.deleteQueue(queueSid).handle((deleted, error) -> {
      if (error != null) {
        Throwable cause = Failures.cause(error);
        if (cause instanceof IllegalStateException) {
          throw ApiException.invalidParameter(cause.getMessage());
        }
        throw new IllegalStateException(cause.getMessage(), cause);
      }
      if (!deleted) {
        throw ApiException.notFound("queue " + queueSid + " not found");
      }
      return null;
    }).thenCompose(done -> store.forgetQueue(queueSid).exceptionally(e -> {
      log.warn("queue {} deleted, but the store still lists it: {}", queueSid,
          Failures.cause(e).getMessage());
      return null;
    }));
  }

  private QueueInfo info(QueueStats s) {
    Instant now = Instant.now();
    Optional<Queues.Entry> entry = ops.queues().entry(s.queueSid());
    return new QueueInfo(s.queueSid(), s.name(), s.currentSize(), s.maxSize(),
        s.averageWaitSeconds(), entry.map(Queues.Entry::dateCreated).orElse(now),
        entry.map(Queues.Entry::dateUpdated).orElse(now));
  }

  /** A queue this node does not hold: its last statistics, nobody waiting. */
  private QueueInfo info(QueueRecord q) {
    Instant created =
        ops.queues().entry(q.queueSid()).map(Queues.Entry::dateCreated).orElse(started);
    return new QueueInfo(q.queueSid(), q.name(), 0, q.maxSize(), q.averageWaitSeconds(), created,
        q.updated());
  }

  private static MemberInfo member(QueueStats s, QueueMember m) {
    return new MemberInfo(m.callSid(), s.queueSid(), m.dateEnqueued(), m.position(), m.waitTimeSeconds());
  }

  private static <T> Page<T> page(List<T> all, int offset, int limit) {
    int from = Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    return new Page<>(all.subList(from, to), to < all.size());
  }
}
