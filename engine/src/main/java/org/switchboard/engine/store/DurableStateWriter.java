package org.switchboard.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CheckpointWriter;

/**
 * Writes the rows of pekko-persistence-jdbc's durable state table ({@code durable_state}) for the
 * node, coalesced and batched: {@link #save} and {@link #delete} are a map put (the caller never
 * waits), the latest operation of a persistence id replaces the one before it while that one is
 * queued or being written, and one writer thread writes everything queued {@code interval} after
 * the first operation queued since its last write, in one transaction (a JDBC batch of upserts,
 * then one of deletes; at most {@value #BATCH} rows). With nothing queued the thread sleeps: an
 * idle node does not wake it every interval.
 * The plugin still reads the rows (a durable state's recovery, the query by tag), so the row is
 * the plugin's own: the serializer's id, manifest and bytes, a revision, the tag and a timestamp.
 *
 * <p>What a crash loses: the operations queued since the last commit (at most {@code interval}
 * plus one write); a persistence id keeps its last committed row. A delete of a row this writer
 * never committed (the state lived shorter than one interval) and that no earlier incarnation
 * wrote ({@code mayExist} false) writes nothing at all. A failed write keeps its operations queued
 * (newer ones of the same id win) and is retried with backoff, logged.
 */
public final class DurableStateWriter implements CheckpointWriter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DurableStateWriter.class);
  /** At most this many rows per transaction. */
  static final int BATCH = 1_000;
  /** H2 keeps a stored value of up to this many bytes in its row ({@link #keepValuesInRow}). */
  static final int INPLACE_BYTES = 16_384;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final List<String> COLUMNS = List.of("persistence_id", "revision",
      "state_payload", "state_serial_id", "state_serial_manifest", "tag", "state_timestamp");

  /** A value as the plugin stores it. */
  public record Encoded(byte[] payload, int serializerId, String manifest) {}

  /**
   * A queued operation on one persistence id. Compared by identity: a commit removes the very
   * operation it wrote, never a newer one queued meanwhile.
   */
  sealed interface Op {}

  /** Upsert {@code value} (encoded when written). */
  static final class Save implements Op {
    final Object value;
    final String tag;
    final long revision;

    Save(Object value, String tag, long revision) {
      this.value = value;
      this.tag = tag;
      this.revision = revision;
    }
  }

  /** Delete the row; {@code mayExist} when a row may exist that this writer did not write. */
  static final class Delete implements Op {
    final boolean mayExist;

    Delete(boolean mayExist) {
      this.mayExist = mayExist;
    }
  }

  /** What one transaction wrote (for tests and the log). */
  public record Flushed(List<String> upserted, List<String> deleted, List<String> skipped) {}

  private final String description;
  private final HikariDataSource pool;
  private final Function<Object, Encoded> encoder;
  /** Reads a stored value back ({@link #tagged}); null when this writer does not list. */
  private final Function<Encoded, Object> decoder;
  private final String selectTagged;
  private final Clock clock;
  private final String upsert;
  private final String delete;
  private final ScheduledThreadPoolExecutor writer;
  private final long intervalMillis;
  /** A write is scheduled and has not started yet. */
  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  private final Map<String, Op> queued = new ConcurrentHashMap<>();
  private final StoreTraffic traffic = new StoreTraffic();
  /** Persistence ids whose row this writer committed and did not delete (writer thread only). */
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  private volatile Optional<java.util.function.Consumer<Flushed>> onFlushed = Optional.empty();
  private Instant nextAttempt = Instant.MIN;
  private int failures;

  private DurableStateWriter(StoreSettings settings, String table, HikariDataSource pool,
      Function<Object, Encoded> encoder, Function<Encoded, Object> decoder, Duration interval,
      Clock clock) {
    this.description = settings.url();
    this.pool = pool;
    this.encoder = encoder;
    this.decoder = decoder;
    this.selectTagged = "SELECT persistence_id, state_payload, state_serial_id,"
        + " state_serial_manifest FROM " + table + " WHERE tag = ?";
    this.clock = clock;
    this.upsert = StoreSchema.upsert(settings.kind(), table, "persistence_id", COLUMNS);
    this.delete = "DELETE FROM " + table + " WHERE persistence_id = ?";
    this.intervalMillis = Math.max(1, interval.toMillis());
    this.writer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-state-writer");
      t.setDaemon(true);
      return t;
    });
    // close() writes what is queued itself; a write scheduled for later is dropped.
    this.writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * A writer of {@code table} in the database of {@code settings} (one connection of its own),
   * writing what is queued {@code interval} after it was queued; {@code encoder} turns a value into
   * the plugin's serialized form. The table must exist (the plugin's schema script creates it).
   */
  public static DurableStateWriter open(StoreSettings settings, String table,
      Function<Object, Encoded> encoder, Duration interval, Clock clock) {
    return open(settings, table, encoder, null, interval, clock);
  }

  /**
   * {@link #open} that also lists the stored states of a tag ({@link #tagged}), read back with
   * {@code decoder}.
   */
  public static DurableStateWriter open(StoreSettings settings, String table,
      Function<Object, Encoded> encoder, Function<Encoded, Object> decoder, Duration interval,
      Clock clock) {
    HikariConfig config =
        StorePool.config(settings, "switchboard-state-writer", 1, Duration.ofSeconds(5));
    HikariDataSource pool = new HikariDataSource(config);
    if (settings.kind() == StoreSettings.Kind.H2) {
      keepValuesInRow(pool, settings);
    }
    return new DurableStateWriter(settings, table, pool, encoder, decoder, interval, clock);
  }

  /**
   * Makes H2 keep a value of up to {@value #INPLACE_BYTES} bytes in its row. The plugin's {@code
   * state_payload} column is a BLOB, and H2 stores a BLOB longer than {@code
   * MAX_LENGTH_INPLACE_LOB} (256 bytes unless set) apart, in its LOB maps: each checkpoint (a
   * call's is 1-3 KB) was then a LOB written to the stream store, registered as temporary, copied
   * to the table, the temporary one removed, and the row's previous LOB removed again, each step
   * an update of one of four transactional maps in the same commit. A URL that sets {@code
   * MAX_LENGTH_INPLACE_LOB} itself keeps its value. The setting is the database's (persistent)
   * and needs an administrator, which the user that created the file is; without one the values
   * stay apart (logged), which costs CPU, never a row.
   */
  private static void keepValuesInRow(HikariDataSource pool, StoreSettings settings) {
    if (settings.url().toUpperCase(java.util.Locale.ROOT).contains("MAX_LENGTH_INPLACE_LOB")) {
      return;
    }
    try (Connection c = pool.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("SET MAX_LENGTH_INPLACE_LOB " + INPLACE_BYTES);
    } catch (SQLException e) {
      log.warn("store {}: cannot keep call states in their rows (SET MAX_LENGTH_INPLACE_LOB: {});"
          + " they are written as separate LOBs", settings.url(), e.getMessage());
    }
  }

  /** Queues {@code value} as the state of {@code persistenceId}, replacing anything queued. */
  @Override
  public void save(String persistenceId, Object value, String tag, long revision) {
    String kind = StoreTraffic.kindOf(persistenceId);
    traffic.counted("saves", kind);
    if (queued.put(persistenceId, new Save(value, tag, revision)) != null) {
      traffic.replaced();
      traffic.counted("replacedInQueue", kind);
    }
    scheduleWrite();
  }

  /**
   * Queues the deletion of {@code persistenceId}'s row, replacing anything queued; {@code
   * mayExist} when an earlier incarnation of the node may have written it.
   */
  @Override
  public void delete(String persistenceId, boolean mayExist) {
    if (queued.put(persistenceId, new Delete(mayExist)) != null) {
      traffic.replaced();
      traffic.counted("replacedInQueue", StoreTraffic.kindOf(persistenceId));
    }
    scheduleWrite();
  }

  /**
   * What is queued for {@code persistenceId} and not yet committed: a value to save, an empty
   * optional for a deletion, or null when nothing is queued (the table has the truth).
   */
  @Override
  public Optional<Object> queuedValue(String persistenceId) {
    Op op = queued.get(persistenceId);
    if (op == null) {
      return null;
    }
    return op instanceof Save s ? Optional.of(s.value) : Optional.empty();
  }

  /**
   * The committed rows of {@code tag}, read on the writer's thread with its own connection (one
   * query, no plugin): the store's sweep after a resync lists its calls so. The plugin's query
   * by tag would start its sequence actor, which then polls the table every second for good and
   * tracks every gap of its offsets: the deleted row of each ended call, so its work grew with
   * the calls made (half of a node's actor CPU at 300 calls/s, docs/performance.md). A row whose
   * value cannot be read is left out, logged.
   */
  @Override
  public CompletionStage<Map<String, Object>> tagged(String tag) {
    if (decoder == null) {
      return CheckpointWriter.super.tagged(tag);
    }
    try {
      return CompletableFuture.supplyAsync(() -> readTagged(tag), writer);
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the state writer of " + description + " is closed"));
    }
  }

  private Map<String, Object> readTagged(String tag) {
    Map<String, Object> rows = new LinkedHashMap<>();
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(selectTagged)) {
      p.setString(1, tag);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String id = r.getString(1);
          try {
            rows.put(id, decoder.apply(new Encoded(r.getBytes(2), r.getInt(3), r.getString(4))));
          } catch (RuntimeException e) {
            log.warn("{}: its stored state cannot be read and is not listed: {}", id,
                e.toString());
          }
        }
      }
    } catch (SQLException e) {
      throw new CompletionException("store " + description + ": listing states failed", e);
    }
    return rows;
  }

  /** How many operations wait to be written. */
  public int queued() {
    return queued.size();
  }

  /** What this writer did since it started (rows, transactions, bytes, its thread's CPU). */
  public StoreTraffic traffic() {
    return traffic;
  }

  /** Tells {@code listener} what each committed transaction wrote (tests). */
  public void onFlushed(java.util.function.Consumer<Flushed> listener) {
    this.onFlushed = Optional.of(listener);
  }

  /** Waits for the writer thread's current work, then counts its scheduled wake-ups (tests). */
  int scheduledWakeUps() throws Exception {
    writer.submit(() -> {}).get(10, TimeUnit.SECONDS);
    return writer.getQueue().size();
  }

  /**
   * Schedules a write {@code interval} from now unless one is scheduled that has not started: the
   * operation just queued is in it (it starts after this check and reads the queue then).
   */
  private void scheduleWrite() {
    if (writeScheduled.compareAndSet(false, true)) {
      try {
        writer.schedule(this::scheduledWrite, intervalMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        writeScheduled.set(false); // close() writes what is queued
      }
    }
  }

  /** A scheduled write; what it leaves queued (a long queue, a failure's backoff) comes next. */
  private void scheduledWrite() {
    writeScheduled.set(false);
    long cpu = StoreTraffic.threadCpu();
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("state writer: unexpected failure", e);
    } finally {
      traffic.spent(cpu);
    }
    if (!queued.isEmpty()) {
      scheduleWrite();
    }
  }

  /**
   * Writes one batch of what is queued in one transaction, now (the writer thread does this an
   * interval after an operation was queued); on failure everything stays queued. Returns what was
   * written.
   */
  synchronized Flushed flush() {
    Flushed none = new Flushed(List.of(), List.of(), List.of());
    if (queued.isEmpty()) {
      return none;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextAttempt)) {
      return none;
    }
    List<Map.Entry<String, Op>> batch = new ArrayList<>();
    for (Map.Entry<String, Op> e : queued.entrySet()) {
      batch.add(Map.entry(e.getKey(), e.getValue()));
      if (batch.size() == BATCH) {
        break;
      }
    }
    List<String> upserted = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    // Deletes of rows this writer did not commit, sent because an earlier incarnation may have.
    List<String> blind = new ArrayList<>();
    List<Map.Entry<String, Op>> done = new ArrayList<>();
    long bytes = 0;
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement up = c.prepareStatement(upsert);
          PreparedStatement del = c.prepareStatement(delete)) {
        long millis = now.toEpochMilli();
        for (Map.Entry<String, Op> e : batch) {
          String id = e.getKey();
          if (e.getValue() instanceof Save s) {
            long cpu = StoreTraffic.threadCpu();
            Optional<Encoded> encoded = encode(id, s.value);
            traffic.encoded(cpu);
            if (encoded.isPresent()) {
              bind(up, id, s, encoded.get(), millis);
              bytes += encoded.get().payload().length;
              up.addBatch();
              upserted.add(id);
            } else {
              skipped.add(id);
            }
          } else if (((Delete) e.getValue()).mayExist || written.contains(id)) {
            del.setString(1, id);
            del.addBatch();
            deleted.add(id);
            if (!written.contains(id)) {
              blind.add(id);
            }
          } else {
            skipped.add(id);
          }
          done.add(e);
        }
        if (!upserted.isEmpty()) {
          up.executeBatch();
        }
        if (!deleted.isEmpty()) {
          del.executeBatch();
        }
      }
      c.commit();
      traffic.committed((upserted.isEmpty() ? 0 : 1) + (deleted.isEmpty() ? 0 : 1),
          upserted.size(), deleted.size(), bytes);
      traffic.skipped(skipped.size());
      upserted.forEach(id -> traffic.counted("upserts", StoreTraffic.kindOf(id)));
      deleted.forEach(id -> traffic.counted("deletes", StoreTraffic.kindOf(id)));
      skipped.forEach(id -> traffic.counted("skipped", StoreTraffic.kindOf(id)));
      blind.forEach(id -> traffic.counted("blindDeletes", StoreTraffic.kindOf(id)));
      written.addAll(upserted);
      deleted.forEach(written::remove);
      done.forEach(e -> queued.remove(e.getKey(), e.getValue()));
      if (failures > 0) {
        log.info("store {} answers again; {} call states still queued", description, queued());
        failures = 0;
        nextAttempt = Instant.MIN;
      }
      Flushed flushed = new Flushed(upserted, deleted, skipped);
      onFlushed.ifPresent(l -> l.accept(flushed));
      return flushed;
    } catch (SQLException | RuntimeException e) {
      failures++;
      Duration wait = Duration.ofMillis(100L << Math.min(failures, 7));
      wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
      nextAttempt = now.plus(wait);
      String message = "store " + description + ": writing call states failed (" + e + "); "
          + queued() + " stay queued in memory, retried in " + wait;
      if (failures == 1) {
        log.error(message, e);
      } else {
        log.warn(message);
      }
      return none;
    }
  }

  private Optional<Encoded> encode(String id, Object value) {
    try {
      return Optional.of(encoder.apply(value));
    } catch (RuntimeException e) {
      // A value that cannot be serialized never will be: it is dropped, not retried forever.
      log.error("{}: its state cannot be serialized and is not written: {}", id, e.toString(), e);
      return Optional.empty();
    }
  }

  private static void bind(PreparedStatement p, String id, Save s, Encoded e, long millis)
      throws SQLException {
    p.setString(1, id);
    p.setLong(2, s.revision);
    p.setBytes(3, e.payload());
    p.setInt(4, e.serializerId());
    p.setString(5, e.manifest());
    p.setString(6, s.tag);
    p.setLong(7, millis);
  }

  /**
   * Stops the writer thread, writes what is still queued (while the database answers) and closes
   * the connection. Not called on a crash: what is queued then is what the crash loses.
   */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (writer.awaitTermination(10, TimeUnit.SECONDS)) {
        nextAttempt = Instant.MIN;
        while (!queued.isEmpty()) {
          int before = failures;
          flush();
          if (failures > before) {
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queued.isEmpty()) {
      log.error("store {}: closed with {} call states not written", description, queued());
    }
    pool.close();
  }
}
