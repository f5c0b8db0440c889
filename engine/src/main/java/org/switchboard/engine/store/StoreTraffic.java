package org.switchboard.engine.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one writer of the store did since it started, counted as it goes (a few atomic adds per
 * transaction): transactions committed, JDBC batches executed, rows upserted and deleted, the
 * bytes of the values it serialized, operations that never reached the database (a newer one of
 * the same row replaced them while queued, or a delete of a row never written) and the CPU time
 * its thread spent writing (of which serializing values). Read with {@link #snapshot()}; the load generator divides the
 * difference over a run by the calls it completed (docs/performance.md, "What the store costs
 * per call").
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

  /** The counters, in a fixed order, named as the load generator reports them. */
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
    return m;
  }
}
