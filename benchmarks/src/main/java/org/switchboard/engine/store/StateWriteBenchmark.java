package org.switchboard.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.switchboard.bench.MicroBenchmark;

/**
 * What the node's durable state writer ({@link DurableStateWriter}) costs per transaction and per
 * row on an embedded H2 file, written exactly as the node writes it: pekko-persistence-jdbc's own
 * table and indexes (its H2 script), the node's H2 URL settings ({@code WRITE_DELAY=0}: each
 * commit is written to the file at once), values kept in their rows, {@link #LIVE} other rows in
 * the table (the live calls of a loaded node). Values are ready-made bytes: their Kryo encoding
 * is not in it (the load generator reports it apart, {@code encodeCpuMicros}). Each operation
 * is one {@link DurableStateWriter#flush}, what the writer thread does once per interval:
 *
 * <ul>
 *   <li>{@link #updateRows}: one transaction of {@code rows} upserts of rows that exist (a
 *       checkpoint replacing the previous one);
 *   <li>{@link #insertThenDeleteRows}: two transactions, {@code rows} upserts of new rows, then
 *       their deletes (what a short-lived row, a canceled leg say, costs at least).
 * </ul>
 *
 * The cost of one transaction and of one row follow from {@code rows} = 1 and 100: per row
 * {@code (t(100) - t(1)) / 99}, per transaction {@code t(1)} minus one row. The numbers mean
 * something only on an otherwise idle machine (docs/performance.md, "What the store costs per
 * call").
 */
public class StateWriteBenchmark extends MicroBenchmark {
  /** Rows of other live calls in the table. */
  static final int LIVE = 1_000;

  /** Rows written per transaction. */
  @Param({"1", "10", "100"})
  public int rows;

  /** The size of one stored value (a hotline call's are about 480 bytes, docs/performance.md). */
  @Param({"512"})
  public int valueBytes;

  private Path dir;
  private DurableStateWriter writer;
  private byte[] value;
  private String[] existing;
  private long revision;
  private long fresh;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("state-write-bench");
    StoreSettings settings = new StoreSettings(StoreSettings.Kind.H2,
        "jdbc:h2:file:" + dir.resolve("store"), "sa", "", 1, Duration.ofDays(1));
    createPluginSchema(settings);
    // The writer's own schedule never fires: each operation below is one explicit flush.
    writer = DurableStateWriter.open(settings, "durable_state",
        v -> new DurableStateWriter.Encoded((byte[]) v, 42, "bench"), Duration.ofHours(1),
        Clock.systemUTC());
    value = new byte[valueBytes];
    new Random(1).nextBytes(value);
    for (int i = 0; i < LIVE; i++) {
      writer.save("Call|live-" + i, value, "call", 1);
    }
    existing = new String[rows];
    for (int i = 0; i < rows; i++) {
      existing[i] = "Call|bench-" + i;
      writer.save(existing[i], value, "call", 1);
    }
    while (writer.queued() > 0) {
      writer.flush();
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    writer.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One transaction: {@code rows} checkpoints replace the rows' previous ones. */
  @Benchmark
  public DurableStateWriter.Flushed updateRows() {
    revision++;
    for (String id : existing) {
      writer.save(id, value, "call", revision);
    }
    return writer.flush();
  }

  /** Two transactions: {@code rows} new rows, then their deletes. */
  @Benchmark
  public DurableStateWriter.Flushed insertThenDeleteRows() {
    String[] ids = new String[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = "Leg|bench-" + fresh++;
      writer.save(ids[i], value, "Leg", 1);
    }
    writer.flush();
    for (String id : ids) {
      writer.delete(id, false);
    }
    return writer.flush();
  }

  /** pekko-persistence-jdbc's H2 schema script, as the node runs it at start. */
  private static void createPluginSchema(StoreSettings settings) throws SQLException {
    String script;
    try (InputStream in = StateWriteBenchmark.class.getClassLoader()
        .getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("pekko-persistence-jdbc's H2 schema is not on the classpath");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), "sa", "");
        Statement s = c.createStatement()) {
      for (String statement : script.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }
}
