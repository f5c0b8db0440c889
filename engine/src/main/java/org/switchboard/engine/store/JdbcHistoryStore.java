package org.switchboard.engine.store;

import static org.switchboard.engine.store.StoreSchema.CALL_COLUMNS;
import static org.switchboard.engine.store.StoreSchema.QUEUE_COLUMNS;
import static org.switchboard.engine.store.StoreSchema.RECORDING_COLUMNS;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * Ended calls, the recordings index and queues' last statistics in H2 or PostgreSQL ({@code switchboard.store.kind = h2 |
 * postgres}). Writes are queued ({@link #callEnded}, {@link #recordingCompleted}: a map put, never
 * a wait) and written by one writer thread in batches; while the database fails they stay queued
 * and are retried with backoff (logged), so a failing database costs the REST API freshness, never
 * a record nor a call. Reads ({@link HistoryQueries}) run on their own threads; the store merges
 * in what is still queued. Expired records are purged on the writer thread every {@link
 * StoreSettings#purgeInterval()}.
 */
public final class JdbcHistoryStore implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcHistoryStore.class);
  private static final Duration FLUSH_EVERY = Duration.ofMillis(25);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final int BATCH = 500;

  private final StoreSettings settings;
  private final HikariDataSource pool;
  private final Clock clock;
  private final String upsertCall;
  private final String upsertRecording;
  private final String upsertQueue;
  private final ScheduledExecutorService writer;
  private final HistoryQueries queries;
  private final Map<String, CallSnapshot> queuedCalls = new ConcurrentHashMap<>();
  private final Map<String, RecordingIndex.Entry> queuedRecordings = new ConcurrentHashMap<>();
  private final Map<String, QueueRecord> queuedQueues = new ConcurrentHashMap<>();
  private final StoreTraffic traffic = new StoreTraffic();
  private Instant nextAttempt = Instant.MIN;
  private int failures;

  private JdbcHistoryStore(StoreSettings settings, HikariDataSource pool, Clock clock) {
    this.settings = settings;
    this.pool = pool;
    this.clock = clock;
    this.upsertCall = StoreSchema.upsert(settings.kind(), "sb_call", "call_sid", CALL_COLUMNS);
    this.upsertRecording =
        StoreSchema.upsert(settings.kind(), "sb_recording", "recording_sid", RECORDING_COLUMNS);
    this.upsertQueue = StoreSchema.upsert(settings.kind(), "sb_queue", "queue_sid", QUEUE_COLUMNS);
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "switchboard-store-writer"));
    this.queries = new HistoryQueries(pool, settings.poolSize());
  }

  /**
   * Opens the database, creates or migrates the schema and starts the writer and the purge.
   *
   * @throws IllegalStateException when the database cannot be opened or migrated, with the URL
   *     and the database's own reason
   */
  public static JdbcHistoryStore open(StoreSettings settings, Clock clock) {
    // A node restarting after a crash on H2 waits for the dead process's file lock to be
    // judged stale first: some seconds, more on a loaded machine.
    HikariConfig config = StorePool.config(settings, "switchboard-store", settings.poolSize() + 1,
        Duration.ofSeconds(30));
    HikariDataSource pool = new HikariDataSource(config);
    int from;
    try (Connection c = pool.getConnection()) {
      from = StoreSchema.migrate(c, settings.kind());
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot open the " + settings.kind().wire() + " store at "
          + settings.url() + " (switchboard.store): " + reason(e), e);
    }
    if (from < StoreSchema.VERSION) {
      log.info("store {} schema created or migrated from version {} to {}", settings.url(), from,
          StoreSchema.VERSION);
    }
    JdbcHistoryStore store = new JdbcHistoryStore(settings, pool, clock);
    long flush = FLUSH_EVERY.toMillis();
    store.writer.scheduleWithFixedDelay(store::flush, flush, flush, TimeUnit.MILLISECONDS);
    long purge = settings.purgeInterval().toMillis();
    store.writer.scheduleWithFixedDelay(store::purgeExpired, purge, purge, TimeUnit.MILLISECONDS);
    log.info("store: {}", settings);
    return store;
  }

  /** Queues the final snapshot of an ended call (a later one of the same call replaces it). */
  public void callEnded(CallSnapshot snapshot) {
    queuedCalls.put(snapshot.callSid(), snapshot);
  }

  /** Queues a completed recording. */
  public void recordingCompleted(RecordingIndex.Entry entry) {
    queuedRecordings.put(entry.recordingSid(), entry);
  }

  @Override
  public void queuesSeen(List<QueueRecord> queues) {
    queues.forEach(q -> queuedQueues.put(q.queueSid(), q));
  }

  @Override
  public CompletionStage<List<QueueRecord>> listQueues() {
    return queries.queues().thenApply(rows -> {
      Map<String, QueueRecord> all = new java.util.TreeMap<>();
      rows.forEach(q -> all.put(q.name(), q));
      queuedQueues.values().forEach(q -> all.put(q.name(), q));
      return List.copyOf(all.values());
    });
  }

  @Override
  public Map<String, Long> traffic() {
    return traffic.snapshot();
  }

  /** How many records wait to be written. */
  public int queued() {
    return queuedCalls.size() + queuedRecordings.size() + queuedQueues.size();
  }

  @Override
  public CompletionStage<Optional<CallSnapshot>> findCall(String callSid) {
    CallSnapshot queued = queuedCalls.get(callSid);
    if (queued != null) {
      return CompletableFuture.completedFuture(Optional.of(queued));
    }
    return queries.call(callSid)
        .thenApply(found -> found.or(() -> Optional.ofNullable(queuedCalls.get(callSid))));
  }

  @Override
  public CompletionStage<List<CallSnapshot>> listCalls(CallQuery query, int limit) {
    return queries.calls(query, limit).thenApply(rows -> {
      Map<String, CallSnapshot> all = new LinkedHashMap<>();
      queuedCalls.values().stream().filter(s -> CallMatch.matches(query, s))
          .forEach(s -> all.put(s.callSid(), s));
      rows.forEach(s -> all.putIfAbsent(s.callSid(), s));
      return all.values().stream().sorted(CallMatch.NEWEST_FIRST).limit(limit).toList();
    });
  }

  @Override
  public CompletionStage<Optional<RecordingIndex.Entry>> findRecording(String recordingSid) {
    RecordingIndex.Entry queued = queuedRecordings.get(recordingSid);
    if (queued != null) {
      return CompletableFuture.completedFuture(Optional.of(queued));
    }
    return queries.recording(recordingSid).thenApply(
        found -> found.or(() -> Optional.ofNullable(queuedRecordings.get(recordingSid))));
  }

  @Override
  public CompletionStage<List<RecordingIndex.Entry>> listRecordings(
      Optional<String> callSid, TimeRange created, int offset, int limit) {
    int wanted = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit);
    return queries.recordings(callSid, created, wanted).thenApply(rows -> {
      Map<String, RecordingIndex.Entry> all = new LinkedHashMap<>();
      queuedRecordings.values().stream()
          .filter(e -> callSid.isEmpty() || callSid.get().equals(e.callSid()))
          .filter(e -> created.contains(Optional.of(e.startTime())))
          .forEach(e -> all.put(e.recordingSid(), e));
      rows.forEach(e -> all.putIfAbsent(e.recordingSid(), e));
      return all.values().stream().sorted(CallMatch.RECORDINGS_NEWEST_FIRST)
          .skip(offset).limit(limit).toList();
    });
  }

  /** Deletes on the writer thread, so a queued write of the same queue cannot follow it. */
  @Override
  public CompletionStage<Void> forgetQueue(String queueSid) {
    return CompletableFuture.runAsync(() -> {
      queuedQueues.remove(queueSid);
      try (Connection c = pool.getConnection();
          PreparedStatement p = c.prepareStatement("DELETE FROM sb_queue WHERE queue_sid = ?")) {
        p.setString(1, queueSid);
        p.executeUpdate();
      } catch (SQLException e) {
        throw new StoreException("forget queue " + queueSid, e);
      }
    }, writer);
  }

  /** Deletes on the writer thread, so a queued write of the same recording cannot follow it. */
  @Override
  public CompletionStage<Boolean> deleteRecording(String recordingSid) {
    return CompletableFuture.supplyAsync(() -> {
      boolean queued = queuedRecordings.remove(recordingSid) != null;
      try (Connection c = pool.getConnection();
          PreparedStatement p =
              c.prepareStatement("DELETE FROM sb_recording WHERE recording_sid = ?")) {
        p.setString(1, recordingSid);
        return p.executeUpdate() > 0 || queued;
      } catch (SQLException e) {
        throw new StoreException("delete recording " + recordingSid, e);
      }
    }, writer);
  }

  @Override
  public CompletionStage<Integer> purgeBefore(Instant cutoff) {
    return CompletableFuture.supplyAsync(() -> purge(cutoff), writer);
  }

  /** The store could not answer (the database's reason is the cause). */
  public static final class StoreException extends RuntimeException {
    StoreException(String what, Throwable cause) {
      super("store: " + what + " failed: " + reason(cause), cause);
    }
  }

  private int purge(Instant cutoff) {
    int dropped = 0;
    dropped += removeIf(queuedCalls, s -> s.endTime().orElse(s.startTime()).isBefore(cutoff));
    dropped += removeIf(queuedRecordings, e -> e.startTime().isBefore(cutoff));
    return dropped + queries.purge(cutoff);
  }

  private void purgeExpired() {
    Instant cutoff = clock.instant().minus(settings.retention());
    try {
      int dropped = purge(cutoff);
      if (dropped > 0) {
        log.info("store: purged {} calls and recordings older than {}", dropped, cutoff);
      }
    } catch (RuntimeException e) {
      log.warn("{} (retried in {})", e.getMessage(), settings.purgeInterval());
    }
  }

  /** One batch of queued writes, on the writer thread; on failure everything stays queued. */
  private void flush() {
    if (queued() == 0) {
      return;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextAttempt)) {
      return;
    }
    List<CallSnapshot> calls = queuedCalls.values().stream().limit(BATCH).toList();
    List<RecordingIndex.Entry> recordings =
        queuedRecordings.values().stream().limit(BATCH).toList();
    List<QueueRecord> queues = queuedQueues.values().stream().limit(BATCH).toList();
    long cpu = StoreTraffic.threadCpu();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      if (!calls.isEmpty()) {
        try (PreparedStatement p = c.prepareStatement(upsertCall)) {
          for (CallSnapshot s : calls) {
            bindCall(p, s);
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      if (!recordings.isEmpty()) {
        try (PreparedStatement p = c.prepareStatement(upsertRecording)) {
          for (RecordingIndex.Entry e : recordings) {
            bindRecording(p, e);
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      if (!queues.isEmpty()) {
        try (PreparedStatement p = c.prepareStatement(upsertQueue)) {
          for (QueueRecord q : queues) {
            p.setString(1, q.queueSid());
            p.setString(2, q.name());
            p.setInt(3, q.maxSize());
            p.setInt(4, q.averageWaitSeconds());
            p.setObject(5, time(q.updated()));
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      c.commit();
      traffic.committed((calls.isEmpty() ? 0 : 1) + (recordings.isEmpty() ? 0 : 1)
          + (queues.isEmpty() ? 0 : 1), calls.size() + recordings.size() + queues.size(), 0, 0);
      traffic.counted("upserts", "sb_call", calls.size());
      traffic.counted("upserts", "sb_recording", recordings.size());
      traffic.counted("upserts", "sb_queue", queues.size());
      queues.forEach(q -> queuedQueues.remove(q.queueSid(), q));
      calls.forEach(s -> queuedCalls.remove(s.callSid(), s));
      recordings.forEach(e -> queuedRecordings.remove(e.recordingSid(), e));
      if (failures > 0) {
        log.info("store {} answers again; {} records still queued", settings.url(), queued());
        failures = 0;
        nextAttempt = Instant.MIN;
      }
    } catch (SQLException | RuntimeException e) {
      failures++;
      Duration wait = Duration.ofMillis(100L << Math.min(failures, 7));
      wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
      nextAttempt = now.plus(wait);
      String message = "store " + settings.url() + ": writing failed (" + reason(e) + "); "
          + queued() + " ended calls and recordings stay queued in memory, retried in " + wait;
      if (failures == 1) {
        log.error(message, e);
      } else {
        log.warn(message);
      }
    } finally {
      traffic.spent(cpu);
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      if (writer.awaitTermination(10, TimeUnit.SECONDS)) {
        nextAttempt = Instant.MIN;
        while (queued() > 0 && failures == 0) {
          flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (queued() > 0) {
      log.error("store {}: closed with {} ended calls and recordings not written", settings.url(),
          queued());
    }
    queries.close();
    pool.close();
  }

  private static void bindCall(PreparedStatement p, CallSnapshot s) throws SQLException {
    p.setString(1, s.callSid());
    p.setString(2, s.parentCallSid().orElse(null));
    p.setString(3, s.channel().serverId());
    p.setString(4, s.channel().channelId());
    p.setString(5, s.from());
    p.setString(6, s.to());
    p.setString(7, CallMatch.numberKey(s.from()));
    p.setString(8, CallMatch.numberKey(s.to()));
    p.setString(9, s.status());
    p.setString(10, s.direction());
    p.setObject(11, time(s.startTime()));
    p.setObject(12, s.answerTime().map(JdbcHistoryStore::time).orElse(null));
    p.setObject(13, s.endTime().map(JdbcHistoryStore::time).orElse(null));
  }

  private static void bindRecording(PreparedStatement p, RecordingIndex.Entry e)
      throws SQLException {
    p.setString(1, e.recordingSid());
    p.setString(2, e.callSid());
    p.setInt(3, e.durationSeconds());
    p.setInt(4, e.channels());
    p.setString(5, e.source());
    p.setString(6, e.status());
    p.setObject(7, time(e.startTime()));
    p.setString(8, e.storedName());
    p.setString(9, e.serverId());
    p.setObject(10, e.kept().map(SoundSpan::fromMs).orElse(null), Types.BIGINT);
    p.setObject(11, e.kept().map(SoundSpan::toMs).orElse(null), Types.BIGINT);
  }

  /** Microseconds, the precision both databases keep. */
  static OffsetDateTime time(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static <V> int removeIf(Map<String, V> map, java.util.function.Predicate<V> expired) {
    int before = map.size();
    map.values().removeIf(expired);
    return Math.max(0, before - map.size());
  }

  private static String reason(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
      if (c.getMessage() != null && !out.toString().contains(c.getMessage())) {
        out.append(": ").append(c.getMessage());
      }
    }
    return out.toString();
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
