package org.switchboard.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The store's tables, created on first start and migrated in order: {@code sb_schema_version}
 * holds one row per applied version, each migration runs once in its own transaction, and a
 * database whose version is newer than this build knows is refused. Migrations are append-only:
 * a released one is never edited, a change is a new version.
 */
final class StoreSchema {
  /** Version 1: ended calls and the recordings index. */
  private static final List<String> V1 = List.of(
      "CREATE TABLE sb_call ("
          + " call_sid VARCHAR(64) PRIMARY KEY,"
          + " parent_call_sid VARCHAR(64),"
          + " server_id VARCHAR(255) NOT NULL,"
          + " channel_id VARCHAR(255) NOT NULL,"
          + " from_number VARCHAR(1024) NOT NULL,"
          + " to_number VARCHAR(1024) NOT NULL,"
          + " from_key VARCHAR(1024) NOT NULL,"
          + " to_key VARCHAR(1024) NOT NULL,"
          + " status VARCHAR(32) NOT NULL,"
          + " direction VARCHAR(32) NOT NULL,"
          + " start_time TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " answer_time TIMESTAMP WITH TIME ZONE,"
          + " end_time TIMESTAMP WITH TIME ZONE)",
      "CREATE INDEX sb_call_start ON sb_call (start_time, call_sid)",
      "CREATE INDEX sb_call_parent ON sb_call (parent_call_sid)",
      "CREATE INDEX sb_call_end ON sb_call (end_time)",
      "CREATE TABLE sb_recording ("
          + " recording_sid VARCHAR(64) PRIMARY KEY,"
          + " call_sid VARCHAR(64) NOT NULL,"
          + " duration_seconds INTEGER NOT NULL,"
          + " channels INTEGER NOT NULL,"
          + " source VARCHAR(32) NOT NULL,"
          + " status VARCHAR(32) NOT NULL,"
          + " start_time TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " stored_name VARCHAR(1024) NOT NULL,"
          + " server_id VARCHAR(255) NOT NULL)",
      "CREATE INDEX sb_recording_start ON sb_recording (start_time, recording_sid)",
      "CREATE INDEX sb_recording_call ON sb_recording (call_sid)");

  /** Version 2: the last statistics of each queue. */
  private static final List<String> V2 = List.of(
      "CREATE TABLE sb_queue ("
          + " queue_sid VARCHAR(64) PRIMARY KEY,"
          + " name VARCHAR(1024) NOT NULL,"
          + " max_size INTEGER NOT NULL,"
          + " average_wait_seconds INTEGER NOT NULL,"
          + " updated TIMESTAMP WITH TIME ZONE NOT NULL)");

  /** Version 3: the part of a recording served after {@code trim-silence} (null: all of it). */
  private static final List<String> V3 = List.of(
      "ALTER TABLE sb_recording ADD COLUMN kept_from_ms BIGINT",
      "ALTER TABLE sb_recording ADD COLUMN kept_to_ms BIGINT");

  /** Every migration, version i + 1 at index i. */
  private static final List<List<String>> MIGRATIONS = List.of(V1, V2, V3);

  /** The newest version this build writes. */
  static final int VERSION = MIGRATIONS.size();

  private StoreSchema() {}

  /**
   * Brings the schema to {@link #VERSION}; a no-op when it is there already. Several nodes
   * starting at once on PostgreSQL take turns on a table lock.
   */
  static int migrate(Connection c, StoreSettings.Kind kind) throws SQLException {
    return migrate(c, kind, VERSION);
  }

  /** Brings the schema to {@code target} (tests build older databases with it). */
  static int migrate(Connection c, StoreSettings.Kind kind, int target) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS sb_schema_version ("
          + " version INTEGER PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
      c.commit();
      if (kind == StoreSettings.Kind.POSTGRES) {
        s.execute("LOCK TABLE sb_schema_version IN EXCLUSIVE MODE");
      }
      int current = 0;
      try (ResultSet r = s.executeQuery("SELECT MAX(version) FROM sb_schema_version")) {
        if (r.next()) {
          current = r.getInt(1);
        }
      }
      if (current > VERSION) {
        throw new SQLException("the store's schema is version " + current
            + ", newer than this Switchboard knows (" + VERSION + "): run a newer Switchboard");
      }
      for (int v = current + 1; v <= target; v++) {
        for (String ddl : MIGRATIONS.get(v - 1)) {
          s.execute(ddl);
        }
        try (PreparedStatement p =
            c.prepareStatement("INSERT INTO sb_schema_version (version, applied_at) VALUES (?, ?)")) {
          p.setInt(1, v);
          p.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
          p.executeUpdate();
        }
      }
      c.commit();
      return current;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Insert-or-replace of one row of {@code table} keyed by {@code key}, in the database's words. */
  static String upsert(StoreSettings.Kind kind, String table, String key, List<String> columns) {
    String names = String.join(", ", columns);
    String marks = String.join(", ", columns.stream().map(c -> "?").toList());
    if (kind == StoreSettings.Kind.POSTGRES) {
      String updates = String.join(", ", columns.stream().filter(c -> !c.equals(key))
          .map(c -> c + " = EXCLUDED." + c).toList());
      return "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ") ON CONFLICT ("
          + key + ") DO UPDATE SET " + updates;
    }
    return "MERGE INTO " + table + " (" + names + ") KEY (" + key + ") VALUES (" + marks + ")";
  }

  /** The columns of {@code sb_call}, in the order the store writes and reads them. */
  static final List<String> CALL_COLUMNS = List.of("call_sid", "parent_call_sid",
      "server_id", "channel_id", "from_number", "to_number", "from_key", "to_key", "status",
      "direction", "start_time", "answer_time", "end_time");

  /** The columns of {@code sb_recording}, in the order the store writes and reads them. */
  static final List<String> RECORDING_COLUMNS = List.of("recording_sid", "call_sid",
      "duration_seconds", "channels", "source", "status", "start_time", "stored_name",
      "server_id", "kept_from_ms", "kept_to_ms");

  /** The columns of {@code sb_queue}, in the order the store writes and reads them. */
  static final List<String> QUEUE_COLUMNS =
      List.of("queue_sid", "name", "max_size", "average_wait_seconds", "updated");
}
