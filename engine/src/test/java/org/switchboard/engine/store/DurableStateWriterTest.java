package org.switchboard.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The durable state writer on an H2 database with pekko-persistence-jdbc's own table: what each
 * transaction writes, in which order, and what a crash at each point leaves in the table. The
 * writer's own schedule is set to an hour, so each transaction here is one explicit {@code flush}.
 */
class DurableStateWriterTest {
  private static final Duration NEVER = Duration.ofHours(1);

  private final List<DurableStateWriter.Flushed> flushed = new ArrayList<>();
  private final AtomicReference<Runnable> duringEncode = new AtomicReference<>(() -> {});
  private StoreSettings settings;
  private Connection reader;
  private DurableStateWriter writer;

  @BeforeEach
  void setUp() throws SQLException {
    settings = new StoreSettings(StoreSettings.Kind.H2,
        "jdbc:h2:mem:states-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 1,
        Duration.ofDays(1));
    reader = DriverManager.getConnection(settings.jdbcUrl(), "sa", "");
    try (Statement s = reader.createStatement()) {
      // pekko-persistence-jdbc's H2 script (schema/h2/h2-create-schema.sql), durable state part.
      s.execute("CREATE SEQUENCE IF NOT EXISTS PUBLIC.\"global_offset_seq\"");
      s.execute("CREATE TABLE IF NOT EXISTS PUBLIC.\"durable_state\" ("
          + " \"global_offset\" BIGINT DEFAULT NEXT VALUE FOR PUBLIC.\"global_offset_seq\","
          + " \"persistence_id\" VARCHAR(255) NOT NULL, \"revision\" BIGINT NOT NULL,"
          + " \"state_payload\" BLOB NOT NULL, \"state_serial_id\" INTEGER NOT NULL,"
          + " \"state_serial_manifest\" VARCHAR, \"tag\" VARCHAR,"
          + " \"state_timestamp\" BIGINT NOT NULL, PRIMARY KEY(\"persistence_id\"))");
    }
    writer = open();
  }

  @AfterEach
  void tearDown() throws SQLException {
    writer.close();
    reader.close();
  }

  private DurableStateWriter open() {
    return open(NEVER);
  }

  private DurableStateWriter open(Duration interval) {
    Function<Object, DurableStateWriter.Encoded> encoder = value -> {
      duringEncode.getAndSet(() -> {}).run();
      return new DurableStateWriter.Encoded(
          value.toString().getBytes(StandardCharsets.UTF_8), 42, "m");
    };
    Function<DurableStateWriter.Encoded, Object> decoder = stored -> {
      String text = new String(stored.payload(), StandardCharsets.UTF_8);
      if (text.startsWith("unreadable")) {
        throw new IllegalArgumentException("cannot read " + text);
      }
      return text;
    };
    DurableStateWriter w = DurableStateWriter.open(settings, "durable_state", encoder, decoder,
        interval, Clock.systemUTC());
    w.onFlushed(flushed::add);
    return w;
  }

  @Test
  void theLatestStateOfEachCallIsWrittenOnceAndEveryCallInOneTransaction() throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    writer.save("Call|b", "b1", "call", 1);
    writer.save("Call|a", "a2", "call", 2);
    writer.save("Call|a", "a3", "call", 3);

    DurableStateWriter.Flushed one = writer.flush();

    assertEquals(Map.of("Call|a", "a3", "Call|b", "b1"), rows());
    assertEquals(2, one.upserted().size(), "one row per call: " + one);
    assertEquals(List.of(one), flushed, "one transaction");
    assertEquals(0, writer.queued());
    try (ResultSet r = reader.createStatement().executeQuery("SELECT \"revision\","
        + " \"state_serial_id\", \"state_serial_manifest\", \"tag\" FROM \"durable_state\""
        + " WHERE \"persistence_id\" = 'Call|a'")) {
      assertTrue(r.next());
      assertEquals(3, r.getLong(1));
      assertEquals(42, r.getInt(2));
      assertEquals("m", r.getString(3));
      assertEquals("call", r.getString(4));
    }
  }

  @Test
  void aCallThatEndsBeforeItsStateWasWrittenWritesNothing() throws SQLException {
    writer.save("Call|short", "s1", "call", 1);
    writer.delete("Call|short", false);

    DurableStateWriter.Flushed one = writer.flush();

    assertEquals(List.of(), one.upserted());
    assertEquals(List.of(), one.deleted());
    assertEquals(List.of("Call|short"), one.skipped());
    assertEquals(Map.of(), rows());
  }

  @Test
  void theDeleteOfAWrittenStateFollowsItAndIsCoalescedWithALaterSave() throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    writer.flush();
    writer.save("Call|a", "a2", "call", 2);
    writer.delete("Call|a", false);

    DurableStateWriter.Flushed last = writer.flush();

    assertEquals(List.of("Call|a"), last.deleted());
    assertEquals(List.of(), last.upserted(), "the state before the end is not written");
    assertEquals(Map.of(), rows());
  }

  @Test
  void aRowAnEarlierIncarnationWroteIsDeletedWhenTheCallSaysItMayExist() throws SQLException {
    writer.save("Call|old", "o1", "call", 1);
    writer.flush();
    writer.close();
    writer = open();

    writer.delete("Call|old", true);
    writer.flush();

    assertEquals(Map.of(), rows());
  }

  @Test
  void aSaveThatArrivesWhileTheStateIsBeingWrittenIsWrittenByTheNextTransaction()
      throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    duringEncode.set(() -> writer.save("Call|a", "a2", "call", 2));

    writer.flush();

    assertEquals(Map.of("Call|a", "a1"), rows(), "the transaction wrote what it took");
    assertEquals(Optional.of("a2"), writer.queuedValue("Call|a"), "the newer one stays queued");
    writer.flush();
    assertEquals(Map.of("Call|a", "a2"), rows());
    assertEquals(null, writer.queuedValue("Call|a"));
  }

  @Test
  void aCrashLosesWhatIsQueuedOnlyAndACallKeepsItsLastCommittedState() throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    writer.save("Call|b", "b1", "call", 1);
    writer.flush();
    writer.save("Call|a", "a2", "call", 2);
    writer.delete("Call|b", false);
    writer.save("Call|c", "c1", "call", 1);

    // The process dies here: nothing more reaches the database (no flush, no close).
    Map<String, String> afterCrash = rows();

    assertEquals(Map.of("Call|a", "a1", "Call|b", "b1"), afterCrash,
        "a resumes from a1, b (which ended) is still there and resumes, c was never written");
    assertEquals(3, writer.queued());
  }

  @Test
  void closingWritesWhatIsQueued() throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    writer.close();
    assertEquals(Map.of("Call|a", "a1"), rows());
    writer = open();
  }

  @Test
  void aFailedTransactionKeepsEverythingQueuedAndNewerStatesWin() throws SQLException {
    writer.save("Call|a", "a1", "call", 1);
    try (Statement s = reader.createStatement()) {
      s.execute("ALTER TABLE \"durable_state\" RENAME TO \"durable_state_away\"");
    }
    DurableStateWriter.Flushed failed = writer.flush();
    assertEquals(List.of(), failed.upserted());
    assertEquals(1, writer.queued());
    writer.save("Call|a", "a2", "call", 2);
    try (Statement s = reader.createStatement()) {
      s.execute("ALTER TABLE \"durable_state_away\" RENAME TO \"durable_state\"");
    }
    writer.close();
    assertEquals(Map.of("Call|a", "a2"), rows());
    writer = open();
  }

  @Test
  void anIdleWriterHasNoWakeUpScheduledAndAQueuedStateIsWrittenAnIntervalLater()
      throws Exception {
    writer.close();
    writer = open(Duration.ofMillis(5));
    CountDownLatch written = new CountDownLatch(1);
    writer.onFlushed(f -> {
      if (!f.upserted().isEmpty()) {
        written.countDown();
      }
    });
    assertEquals(0, writer.scheduledWakeUps(), "an idle node's writer thread sleeps");

    writer.save("Call|a", "a1", "call", 1);

    assertTrue(written.await(10, TimeUnit.SECONDS), "written without an explicit flush");
    assertEquals(Map.of("Call|a", "a1"), rows());
    assertEquals(0, writer.scheduledWakeUps(), "asleep again once everything is written");
  }

  @Test
  void aLongQueueIsWrittenInBatches() throws SQLException {
    int n = DurableStateWriter.BATCH * 2 + 7;
    for (int i = 0; i < n; i++) {
      writer.save("Call|" + i, "v" + i, "call", 1);
    }
    assertEquals(DurableStateWriter.BATCH, writer.flush().upserted().size());
    assertEquals(DurableStateWriter.BATCH, writer.flush().upserted().size());
    assertEquals(7, writer.flush().upserted().size());
    assertEquals(n, rows().size());
  }

  @Test
  void itsTrafficCountsRowsTransactionsBytesAndWhatNeverReachedTheDatabase() {
    writer.save("Call|a", "a1", "call", 1);
    writer.save("Call|a", "a22", "call", 2);
    writer.save("Call|b", "b1", "call", 1);
    writer.flush();
    writer.delete("Call|a", false);
    writer.save("Call|c", "c1", "call", 1);
    writer.delete("Call|c", false);
    writer.flush();

    Map<String, Long> t = writer.traffic().snapshot();
    assertEquals(2L, t.get("transactions"));
    assertEquals(2L, t.get("batches"), "one batch of upserts, then one of deletes");
    assertEquals(2L, t.get("upserts"));
    assertEquals(1L, t.get("deletes"));
    assertEquals(5L, t.get("bytes"), "a22 and b1");
    assertEquals(2L, t.get("replacedInQueue"), "a1, then c1 by its delete");
    assertEquals(1L, t.get("skipped"), "the delete of c, never written");
  }

  @Test
  void itsTrafficCountsEachKindOfRecordApart() {
    writer.save("Call|a", "a1", "call", 1);
    writer.save("Call|a", "a2", "call", 2);
    writer.save("Leg|x", "x1", "Leg", 1);
    writer.save("Leg|y", "y1", "Leg", 1);
    writer.flush();
    writer.delete("Leg|x", true);
    writer.save("Ring|r", "r1", "Ring", 1);
    writer.delete("Ring|r", false);
    writer.flush();

    Map<String, Long> t = writer.traffic().snapshot();
    assertEquals(2L, t.get("saves.Call"));
    assertEquals(1L, t.get("replacedInQueue.Call"));
    assertEquals(1L, t.get("upserts.Call"));
    assertEquals(2L, t.get("upserts.Leg"));
    assertEquals(1L, t.get("deletes.Leg"));
    assertEquals(null, t.get("blindDeletes.Leg"), "Leg|x was written by this writer");
    assertEquals(1L, t.get("skipped.Ring"), "saved and deleted within one interval");
    assertEquals(null, t.get("upserts.Ring"));
    assertEquals(null, t.get("deletes.Call"));
    writer.delete("Leg|earlier", true);
    writer.flush();
    assertEquals(1L, writer.traffic().snapshot().get("blindDeletes.Leg"),
        "a row an earlier incarnation may have written");
  }

  @Test
  void h2KeepsAStateOfSomeKilobytesInItsRowNotInItsLobStore() throws SQLException {
    String big = "x".repeat(3_000);
    writer.save("Call|big", big, "call", 1);
    writer.flush();

    assertEquals(Map.of("Call|big", big), rows());
    try (ResultSet r = reader.createStatement().executeQuery("SELECT SETTING_VALUE FROM"
        + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'")) {
      assertTrue(r.next(), "the database's in-place LOB limit is set");
      assertEquals(String.valueOf(DurableStateWriter.INPLACE_BYTES), r.getString(1));
    }
  }

  @Test
  void theCommittedStatesOfATagAreListedWithTheirValuesAndAnUnreadableOneIsLeftOut()
      throws Exception {
    writer.save("Call|a", "a1", "call", 1);
    writer.save("Call|b", "b1", "call", 1);
    writer.save("Call|c", "unreadable c1", "call", 1);
    writer.save("Leg|d", "d1", "leg", 1);
    writer.flush();
    writer.delete("Call|b", false);
    writer.flush();
    writer.save("Call|e", "e1", "call", 1); // queued, not committed

    Map<String, Object> listed =
        writer.tagged("call").toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(Map.of("Call|a", "a1"), listed);
    assertEquals(Map.of("Leg|d", "d1"),
        writer.tagged("leg").toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void aWriterWithoutADecoderDoesNotList() {
    DurableStateWriter plain = DurableStateWriter.open(settings, "durable_state",
        value -> new DurableStateWriter.Encoded(new byte[0], 1, ""), NEVER, Clock.systemUTC());
    try {
      var error = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> plain.tagged("call").toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertTrue(error.getCause() instanceof UnsupportedOperationException, error.toString());
    } finally {
      plain.close();
    }
  }

  private Map<String, String> rows() throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (ResultSet r = reader.createStatement().executeQuery(
        "SELECT \"persistence_id\", \"state_payload\" FROM \"durable_state\"")) {
      while (r.next()) {
        out.put(r.getString(1), new String(r.getBytes(2), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
