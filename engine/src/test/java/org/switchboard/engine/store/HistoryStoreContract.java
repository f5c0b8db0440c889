package org.switchboard.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.store.HistoryStore.CallQuery;

/**
 * What every database store must do, run on H2 ({@link H2HistoryStoreTest}) and PostgreSQL
 * ({@link PostgresHistoryStoreTest}); the in-memory store is the reference for filters and order.
 */
abstract class HistoryStoreContract {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  /** Settings of a fresh, empty database of this kind. */
  abstract StoreSettings freshDatabase() throws Exception;

  /** Settings of this kind whose database cannot be reached or opened. */
  abstract StoreSettings unreachableDatabase() throws Exception;

  @Test
  void callsAndRecordingsOutliveTheStoreThatWroteThem() throws Exception {
    StoreSettings settings = freshDatabase();
    CallSnapshot first = ended("CA01", Optional.empty(), "+15550000001", "completed", 0);
    CallSnapshot leg = ended("CA02", Optional.of("CA01"), "+15550000002", "canceled", 1);
    RecordingIndex.Entry recording = recording("RE01", "CA01", 2);
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      store.callEnded(first);
      store.callEnded(leg);
      store.recordingCompleted(recording);
      assertEquals(Optional.of(first), get(store.findCall("CA01")), "read before it is written");
      await(() -> store.queued() == 0, "the writer to empty its queue");
      java.util.Map<String, Long> traffic = store.traffic();
      assertEquals(3L, traffic.get("upserts"), "two calls and a recording: " + traffic);
      assertEquals(2L, traffic.get("upserts.sb_call"), traffic.toString());
      assertEquals(1L, traffic.get("upserts.sb_recording"), traffic.toString());
      assertTrue(traffic.get("transactions") >= 1 && traffic.get("transactions") <= 3,
          traffic.toString());
    }
    try (JdbcHistoryStore reopened = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      assertEquals(Optional.of(first), get(reopened.findCall("CA01")));
      assertEquals(List.of(leg, first), get(reopened.listCalls(CallQuery.any(), 10)));
      assertEquals(List.of(recording), get(reopened.listRecordings(Optional.of("CA01"), 0, 10)));
      assertEquals(Optional.of(recording), get(reopened.findRecording("RE01")));
      assertTrue(get(reopened.deleteRecording("RE01")));
      assertEquals(Optional.empty(), get(reopened.findRecording("RE01")));
    }
  }

  @Test
  void filtersOrderAndPagesAsTheMemoryStoreDoes() throws Exception {
    CallHistory history = new CallHistory();
    RecordingIndex recordings = new RecordingIndex();
    MemoryHistoryStore reference = new MemoryHistoryStore(history, recordings);
    String[] statuses = {"completed", "busy", "no-answer", "canceled"};
    String[] numbers = {"+15550000001", "15550000001", "+15550000002", "sip:alice@example.org"};
    try (JdbcHistoryStore store = JdbcHistoryStore.open(freshDatabase(), Clock.systemUTC())) {
      history.addListener(store::callEnded);
      recordings.addListener(store::recordingCompleted);
      for (int i = 0; i < 40; i++) {
        Optional<String> parent = i % 3 == 0 ? Optional.of("CA00") : Optional.empty();
        // Two calls share each start time: the CallSid orders them.
        history.record(ended(String.format("CA%02d", 10 + i), parent, numbers[i % numbers.length],
            statuses[i % statuses.length], i / 2));
        recordings.register(recording(String.format("RE%02d", i), "CA" + (10 + i % 4), i / 2));
      }
      await(() -> store.queued() == 0, "the writer to empty its queue");
      List<CallQuery> queries = List.of(CallQuery.any(),
          new CallQuery(Optional.of("busy"), Optional.empty(), Optional.empty(), Optional.empty()),
          new CallQuery(Optional.empty(), Optional.of("15550000001"), Optional.empty(),
              Optional.empty()),
          new CallQuery(Optional.empty(), Optional.empty(), Optional.of("+15550000002"),
              Optional.empty()),
          new CallQuery(Optional.of("completed"), Optional.empty(), Optional.empty(),
              Optional.of("CA00")));
      for (CallQuery q : queries) {
        for (int limit : new int[] {1, 7, 100}) {
          List<CallSnapshot> expected = get(reference.listCalls(q, limit));
          assertEquals(expected, get(store.listCalls(q, limit)), q + " limit " + limit);
        }
      }
      assertTrue(get(store.listCalls(queries.get(2), 100)).size() >= 10, "numbers match as E.164");
      for (Optional<String> call : List.of(Optional.<String>empty(), Optional.of("CA11"))) {
        for (int offset : new int[] {0, 3, 39}) {
          assertEquals(get(reference.listRecordings(call, offset, 5)),
              get(store.listRecordings(call, offset, 5)), call + " from " + offset);
        }
      }
    }
  }

  @Test
  void expiredCallsAndRecordingsArePurgedOnSchedule() throws Exception {
    StoreSettings fresh = freshDatabase();
    StoreSettings settings = new StoreSettings(fresh.kind(), fresh.url(), fresh.user(),
        fresh.password(), fresh.poolSize(), Duration.ofSeconds(2));
    Clock clock = Clock.fixed(T0.plus(Duration.ofHours(1)), java.time.ZoneOffset.UTC);
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, clock)) {
      CallSnapshot old = ended("CA01", Optional.empty(), "+15550000001", "completed", 0);
      CallSnapshot recent = new CallSnapshot("CA02", Optional.empty(), new ChannelRef("s", "c2"),
          "+1555", "+1556", "completed", "inbound", clock.instant().minusSeconds(1),
          Optional.empty(), Optional.of(clock.instant()));
      store.callEnded(old);
      store.callEnded(recent);
      store.recordingCompleted(recording("RE01", "CA01", 0));
      await(() -> store.queued() == 0, "the writer to empty its queue");
      // The purge runs every second (a tenth of the retention, at least a second).
      await(() -> get(store.findCall("CA01")).isEmpty() && get(store.findRecording("RE01")).isEmpty(),
          "the expired call and recording to be purged");
      assertEquals(Optional.of(recent), get(store.findCall("CA02")));
    }
  }

  @Test
  void theSchemaIsCreatedOnceAndANewerOneIsRefused() throws Exception {
    StoreSettings settings = freshDatabase();
    JdbcHistoryStore.open(settings, Clock.systemUTC()).close();
    JdbcHistoryStore.open(settings, Clock.systemUTC()).close();
    try (Connection c = connect(settings); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT COUNT(*), MAX(version) FROM sb_schema_version")) {
        r.next();
        assertEquals(StoreSchema.VERSION, r.getInt(1));
        assertEquals(StoreSchema.VERSION, r.getInt(2));
      }
      s.execute("INSERT INTO sb_schema_version (version, applied_at) VALUES (99, CURRENT_TIMESTAMP)");
    }
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> JdbcHistoryStore.open(settings, Clock.systemUTC()));
    assertTrue(refused.getMessage().contains("schema is version 99, newer than this Switchboard"),
        refused.getMessage());
  }

  @Test
  void aVersionOneDatabaseIsMigratedKeepingItsCalls() throws Exception {
    StoreSettings settings = freshDatabase();
    CallSnapshot call = ended("CA01", Optional.empty(), "+15550000001", "completed", 0);
    try (Connection c = connect(settings)) {
      assertEquals(0, StoreSchema.migrate(c, settings.kind(), 1));
    }
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      store.callEnded(call);
      store.queuesSeen(List.of(new HistoryStore.QueueRecord("QU1", "support", 100, 42, T0)));
      await(() -> store.queued() == 0, "the writer to empty its queue");
    }
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      assertEquals(Optional.of(call), get(store.findCall("CA01")));
      assertEquals(List.of(new HistoryStore.QueueRecord("QU1", "support", 100, 42, T0)),
          get(store.listQueues()));
    }
  }

  @Test
  void aDatabaseThatCannotBeOpenedStopsTheStartWithItsReason() throws Exception {
    StoreSettings settings = unreachableDatabase();
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> JdbcHistoryStore.open(settings, Clock.systemUTC()));
    assertTrue(refused.getMessage().startsWith("cannot open the " + settings.kind().wire()
        + " store at " + settings.url() + " (switchboard.store): "), refused.getMessage());
  }

  @Test
  void writesThatFailAreLoggedKeptAndWrittenOnceTheDatabaseAnswers() throws Exception {
    StoreSettings settings = freshDatabase();
    Logger logger = (Logger) LoggerFactory.getLogger(JdbcHistoryStore.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      String table;
      try (Connection c = connect(settings); Statement s = c.createStatement()) {
        table = s.executeQuery("SELECT 1 FROM sb_call").next() ? "rows" : "empty";
        s.execute("ALTER TABLE sb_call RENAME TO sb_call_away");
      }
      CallSnapshot call = ended("CA01", Optional.empty(), "+15550000001", "completed", 0);
      store.callEnded(call);
      await(() -> logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
              && e.getFormattedMessage().contains("writing failed")
              && e.getFormattedMessage().contains("stay queued in memory")),
          "the failed write to be logged");
      assertEquals(1, store.queued());
      assertEquals(Optional.of(call), get(store.findCall("CA01")), "a queued call is still served");
      try (Connection c = connect(settings); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE sb_call_away RENAME TO sb_call");
      }
      await(() -> store.queued() == 0, "the queued call to be written once the table is back");
      assertEquals("empty", table);
      try (Connection c = connect(settings); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT status FROM sb_call WHERE call_sid = 'CA01'")) {
        assertTrue(r.next(), "the call was written");
        assertEquals("completed", r.getString(1));
      }
      // Logged by the writer after it took the batch off the queue: awaited, not assumed.
      await(() -> logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("answers again")),
          "the store's recovery to be logged");
    } finally {
      logger.detachAppender(logged);
    }
  }

  static Connection connect(StoreSettings settings) throws SQLException {
    return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
  }

  static CallSnapshot ended(String sid, Optional<String> parent, String number, String status,
      int minute) {
    Instant start = T0.plus(minute, ChronoUnit.MINUTES);
    Optional<Instant> answered = status.equals("completed") ? Optional.of(start.plusSeconds(3))
        : Optional.empty();
    return new CallSnapshot(sid, parent, new ChannelRef("sim", "chan-" + sid), "+15559990000",
        number, status, parent.isPresent() ? "outbound-dial" : "inbound", start, answered,
        Optional.of(start.plusSeconds(30)));
  }

  static RecordingIndex.Entry recording(String sid, String callSid, int minute) {
    return new RecordingIndex.Entry(sid, callSid, 7, 1, "RecordVerb", "completed",
        T0.plus(minute, ChronoUnit.MINUTES), "rec-" + sid, "sim");
  }

  static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
  static void await(BooleanSupplier condition, String description) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object monitor = new Object();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      synchronized (monitor) {
        try {
          monitor.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
    throw new AssertionError("timed out waiting for " + description);
  }
}
