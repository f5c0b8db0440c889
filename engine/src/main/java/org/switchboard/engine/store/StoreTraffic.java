package org.switchboard.engine.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one writer of the store did since it started, counted as it goes (a few atomic adds per
 * transaction): transactions committed, JDBC batches executed, rows upserted and deleted, the
 * bytes of the values it serialized, operations that never reached the database (a newer one of
 * the same row replaced them while queued, or a delete of a row never written) and the CPU time
 * its thread spent writing (of which serializing values); and the same row counts by kind of
 * record ({@link #counted}: {@code upserts.Call}, {@code deletes.Leg}, {@code upserts.sb_queue}…).
 * Read with {@link #snapshot()}; the load generator divides the difference over a run by the
 * calls it completed (docs/performance.md, "What the store costs per call").
 */
public final class StoreTraffic {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong upserts = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong replaced = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong cpuNanos = new AtomicLong();
  private final AtomicLong encodeNanos = new AtomicLong();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

  void committed(long batchesRun, long rowsUpserted, long rowsDeleted, long payloadBytes) {
    transactions.incrementAndGet();
    batches.addAndGet(batchesRun);
    upserts.addAndGet(rowsUpserted);
    deletes.addAndGet(rowsDeleted);
    bytes.addAndGet(payloadBytes);
  }

  /** A queued operation was replaced by a newer one of the same row before it was written. */
  void replaced() {
    replaced.incrementAndGet();
  }

  /** {@code n} queued operations needed no write (a delete of a row never written). */
  void skipped(long n) {
    skipped.addAndGet(n);
  }

  /**
   * One {@code what} of a record of {@code kind} (the persistence id's kind, {@code Call}, {@code
   * Leg}, …, or the history table): {@code saves} (boundaries queued), {@code upserts}, {@code
   * deletes}, {@code replacedInQueue}, {@code skipped}, {@code blindDeletes} (deletes of rows this
   * writer never committed, sent because an earlier incarnation may have).
   */
  void counted(String what, String kind) {
    counted(what, kind, 1);
  }

  /** {@code n} of {@code what} of records of {@code kind}. */
  void counted(String what, String kind, long n) {
    if (n > 0) {
      byKind.computeIfAbsent(what + "." + kind, k -> new LongAdder()).add(n);
    }
  }

  /** The kind of the persistence id {@code <kind>|<id>} ({@code Call}, {@code Leg}, …). */
  static String kindOf(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(0, bar);
  }

  /** The CPU time of the calling thread, for {@link #spent}; -1 when the JVM does not measure it. */
  static long threadCpu() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** The calling thread spent the CPU time since {@code since} ({@link #threadCpu}) writing. */
  void spent(long since) {
    if (since >= 0) {
      cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - since);
    }
  }

  /** The calling thread spent the CPU time since {@code since} serializing a value. */
  void encoded(long since) {
    if (since >= 0) {
      encodeNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - since);
    }
  }

  /**
   * The counters, named as the load generator reports them: the totals in a fixed order, then
   * those by kind, sorted.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("transactions", transactions.get());
    m.put("batches", batches.get());
    m.put("upserts", upserts.get());
    m.put("deletes", deletes.get());
    m.put("bytes", bytes.get());
    m.put("replacedInQueue", replaced.get());
    m.put("skipped", skipped.get());
    m.put("writerCpuMicros", cpuNanos.get() / 1_000);
    m.put("encodeCpuMicros", encodeNanos.get() / 1_000);
    new TreeMap<>(byKind).forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
