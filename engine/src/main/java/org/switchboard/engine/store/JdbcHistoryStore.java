package org.switchboard.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * Ended calls, the recordings index and queues' last statistics in H2 or PostgreSQL ({@code switchboard.store.kind = h2 |
 * postgres}). Writes are queued ({@link #callEnded}, {@link #recordingCompleted}: a map put, never
 * a wait) and written by one writer thread in batches; while the database fails they stay queued
 * and are retried with backoff (logged), so a failing database costs the REST API freshness, never
 * a record nor a call. Reads run on their own threads and merge what is still queued. Expired
 * records are purged on the writer thread every {@link StoreSettings#purgeInterval()}.
 */
public final class JdbcHistoryStore implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcHistoryStore.class);
  private static final Duration FLUSH_EVERY = Duration.ofMillis(25);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final int BATCH = 500;
  private static final List<String> CALL_COLUMNS = List.of("call_sid", "parent_call_sid",
      "server_id", "channel_id", "from_number", "to_number", "from_key", "to_key", "status",
      "direction", "start_time", "answer_time", "end_time");
  private static final List<String> RECORDING_COLUMNS = List.of("recording_sid", "call_sid",
      "duration_seconds", "channels", "source", "status", "start_time", "stored_name",
      "server_id", "kept_from_ms", "kept_to_ms");

  private static final List<String> QUEUE_COLUMNS =
      List.of("queue_sid", "name", "max_size", "average_wait_seconds", "updated");

  private final StoreSettings settings;
  private final HikariDataSource pool;
  private final Clock clock;
  private final String upsertCall;
  private final String upsertRecording;
  private final String upsertQueue;
  private final ScheduledExecutorService writer;
  private final ExecutorService readers;
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
    this.readers = Executors.newFixedThreadPool(settings.poolSize(), r -> thread(r, "switchboard-store-read"));
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
    return read(c -> {
      List<QueueRecord> rows = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + String.join(", ", QUEUE_COLUMNS) + " FROM sb_queue");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          rows.add(new QueueRecord(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4),
              instant(r, 5).orElseThrow()));
        }
      }
      return rows;
    }).thenApply(rows -> {
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
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + String.join(", ", CALL_COLUMNS) + " FROM sb_call WHERE call_sid = ?")) {
        p.setString(1, callSid);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(call(r)) : Optional.<CallSnapshot>empty();
        }
      }
    }).thenApply(found -> found.or(() -> Optional.ofNullable(queuedCalls.get(callSid))));
  }

  @Override
  public CompletionStage<List<CallSnapshot>> listCalls(CallQuery query, int limit) {
    return read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + String.join(", ", CALL_COLUMNS)
          + " FROM sb_call WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      query.status().ifPresent(v -> filter(sql, args, "status", v));
      query.to().ifPresent(v -> filter(sql, args, "to_key", CallMatch.numberKey(v)));
      query.from().ifPresent(v -> filter(sql, args, "from_key", CallMatch.numberKey(v)));
      query.parentCallSid().ifPresent(v -> filter(sql, args, "parent_call_sid", v));
      between(sql, args, "start_time", query.started());
      between(sql, args, "end_time", query.ended());
      sql.append(" ORDER BY start_time DESC, call_sid DESC LIMIT ?");
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          p.setObject(i + 1, args.get(i));
        }
        p.setInt(args.size() + 1, limit);
        List<CallSnapshot> rows = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            rows.add(call(r));
          }
        }
        return rows;
      }
    }).thenApply(rows -> {
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
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + String.join(", ", RECORDING_COLUMNS)
          + " FROM sb_recording WHERE recording_sid = ?")) {
        p.setString(1, recordingSid);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(recording(r)) : Optional.<RecordingIndex.Entry>empty();
        }
      }
    }).thenApply(found -> found.or(() -> Optional.ofNullable(queuedRecordings.get(recordingSid))));
  }

  @Override
  public CompletionStage<List<RecordingIndex.Entry>> listRecordings(
      Optional<String> callSid, TimeRange created, int offset, int limit) {
    int wanted = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit);
    return read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + String.join(", ", RECORDING_COLUMNS)
          + " FROM sb_recording WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      callSid.ifPresent(v -> filter(sql, args, "call_sid", v));
      between(sql, args, "start_time", created);
      sql.append(" ORDER BY start_time DESC, recording_sid DESC LIMIT ?");
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (Object arg : args) {
          p.setObject(i++, arg);
        }
        p.setInt(i, wanted);
        List<RecordingIndex.Entry> rows = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            rows.add(recording(r));
          }
        }
        return rows;
      }
    }).thenApply(rows -> {
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
    try (Connection c = pool.getConnection();
        PreparedStatement calls = c.prepareStatement("DELETE FROM sb_call WHERE end_time < ?"
            + " OR (end_time IS NULL AND start_time < ?)");
        PreparedStatement recordings =
            c.prepareStatement("DELETE FROM sb_recording WHERE start_time < ?")) {
      calls.setObject(1, time(cutoff));
      calls.setObject(2, time(cutoff));
      recordings.setObject(1, time(cutoff));
      dropped += calls.executeUpdate() + recordings.executeUpdate();
      return dropped;
    } catch (SQLException e) {
      throw new StoreException("purge", e);
    }
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
    readers.shutdown();
    pool.close();
  }

  /** A read on the reader threads; a database failure fails the stage with {@link StoreException}. */
  private <T> CompletionStage<T> read(Query<T> query) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return query.run(c);
      } catch (SQLException e) {
        throw new StoreException("read", e);
      }
    }, readers);
  }

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
    sql.append(" AND ").append(column).append(" = ?");
    args.add(value);
  }

  /** Both bounds inclusive, as {@link TimeRange#contains}; a NULL time never matches a bound. */
  private static void between(StringBuilder sql, List<Object> args, String column, TimeRange range) {
    range.from().ifPresent(f -> {
      sql.append(" AND ").append(column).append(" >= ?");
      args.add(time(f));
    });
    range.to().ifPresent(t -> {
      sql.append(" AND ").append(column).append(" <= ?");
      args.add(time(t));
    });
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

  private static CallSnapshot call(ResultSet r) throws SQLException {
    return new CallSnapshot(r.getString(1), Optional.ofNullable(r.getString(2)),
        new ChannelRef(r.getString(3), r.getString(4)), r.getString(5), r.getString(6),
        r.getString(9), r.getString(10), instant(r, 11).orElseThrow(), instant(r, 12),
        instant(r, 13));
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

  private static RecordingIndex.Entry recording(ResultSet r) throws SQLException {
    return new RecordingIndex.Entry(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4),
        r.getString(5), r.getString(6), instant(r, 7).orElseThrow(), r.getString(8),
        r.getString(9), kept(r));
  }

  private static Optional<SoundSpan> kept(ResultSet r) throws SQLException {
    long from = r.getLong(10);
    if (r.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(new SoundSpan(from, r.getLong(11)));
  }

  /** Microseconds, the precision both databases keep. */
  private static OffsetDateTime time(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
    return Optional.ofNullable(r.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
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
