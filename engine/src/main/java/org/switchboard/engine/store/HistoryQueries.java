package org.switchboard.engine.store;

import static org.switchboard.engine.store.StoreSchema.CALL_COLUMNS;
import static org.switchboard.engine.store.StoreSchema.QUEUE_COLUMNS;
import static org.switchboard.engine.store.StoreSchema.RECORDING_COLUMNS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.store.HistoryStore.CallQuery;
import org.switchboard.engine.store.HistoryStore.QueueRecord;
import org.switchboard.engine.store.HistoryStore.TimeRange;

/**
 * The read and retention side of {@link JdbcHistoryStore}: what the database holds of ended
 * calls, recordings and queues, with the REST API's filters and order, read on reader threads of
 * its own so a slow query never holds up the writer; and the retention purge's deletes, run by the
 * store on its writer thread. Knows nothing of the writes still queued: the store merges those in.
 */
final class HistoryQueries {
  private final DataSource pool;
  private final ExecutorService readers;

  HistoryQueries(DataSource pool, int readerThreads) {
    this.pool = pool;
    this.readers = Executors.newFixedThreadPool(readerThreads, r -> {
      Thread t = new Thread(r, "switchboard-store-read");
      t.setDaemon(true);
      return t;
    });
  }

  /** Every queue's stored statistics. */
  CompletionStage<List<QueueRecord>> queues() {
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
    });
  }

  /** The stored call {@code callSid}. */
  CompletionStage<Optional<CallSnapshot>> call(String callSid) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + String.join(", ", CALL_COLUMNS) + " FROM sb_call WHERE call_sid = ?")) {
        p.setString(1, callSid);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(call(r)) : Optional.<CallSnapshot>empty();
        }
      }
    });
  }

  /** The newest {@code limit} stored calls that match {@code query}, newest first. */
  CompletionStage<List<CallSnapshot>> calls(CallQuery query, int limit) {
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
    });
  }

  /** The stored recording {@code recordingSid}. */
  CompletionStage<Optional<RecordingIndex.Entry>> recording(String recordingSid) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + String.join(", ", RECORDING_COLUMNS)
          + " FROM sb_recording WHERE recording_sid = ?")) {
        p.setString(1, recordingSid);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(recording(r)) : Optional.<RecordingIndex.Entry>empty();
        }
      }
    });
  }

  /** The newest {@code limit} stored recordings of {@code callSid} (or all) created in range. */
  CompletionStage<List<RecordingIndex.Entry>> recordings(
      Optional<String> callSid, TimeRange created, int limit) {
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
        p.setInt(i, limit);
        List<RecordingIndex.Entry> rows = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            rows.add(recording(r));
          }
        }
        return rows;
      }
    });
  }

  /**
   * Deletes the calls that ended (or, never ended, started) and the recordings made before {@code
   * cutoff}; answers how many rows went. Runs on the caller's thread (the store's writer).
   */
  int purge(Instant cutoff) {
    try (Connection c = pool.getConnection();
        PreparedStatement calls = c.prepareStatement("DELETE FROM sb_call WHERE end_time < ?"
            + " OR (end_time IS NULL AND start_time < ?)");
        PreparedStatement recordings =
            c.prepareStatement("DELETE FROM sb_recording WHERE start_time < ?")) {
      calls.setObject(1, JdbcHistoryStore.time(cutoff));
      calls.setObject(2, JdbcHistoryStore.time(cutoff));
      recordings.setObject(1, JdbcHistoryStore.time(cutoff));
      return calls.executeUpdate() + recordings.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcHistoryStore.StoreException("purge", e);
    }
  }

  /** Stops the reader threads. */
  void close() {
    readers.shutdown();
  }

  /** A read on the reader threads; a database failure fails the stage with a StoreException. */
  private <T> CompletionStage<T> read(Query<T> query) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return query.run(c);
      } catch (SQLException e) {
        throw new JdbcHistoryStore.StoreException("read", e);
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
      args.add(JdbcHistoryStore.time(f));
    });
    range.to().ifPresent(t -> {
      sql.append(" AND ").append(column).append(" <= ?");
      args.add(JdbcHistoryStore.time(t));
    });
  }

  private static CallSnapshot call(ResultSet r) throws SQLException {
    return new CallSnapshot(r.getString(1), Optional.ofNullable(r.getString(2)),
        new ChannelRef(r.getString(3), r.getString(4)), r.getString(5), r.getString(6),
        r.getString(9), r.getString(10), instant(r, 11).orElseThrow(), instant(r, 12),
        instant(r, 13));
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

  private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
    return Optional.ofNullable(r.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }
}
