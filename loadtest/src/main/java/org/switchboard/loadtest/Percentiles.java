package org.switchboard.loadtest;

import java.util.Arrays;

/**
 * Latency samples in microseconds, kept in a growable array; percentiles by the nearest-rank
 * method over the sorted samples. Thread-safe.
 */
public final class Percentiles {
  private long[] samples = new long[1024];
  private int count;

  /** Adds one sample (negative values, from clock skew, are kept as 0). */
  public synchronized void add(long micros) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = Math.max(0, micros);
  }

  /** Number of samples so far. */
  public synchronized int count() {
    return count;
  }

  /** The p50/p90/p99/max summary, or an empty summary when there is no sample. */
  public synchronized Summary summary() {
    if (count == 0) {
      return new Summary(0, 0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new Summary(
        count, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[count - 1]);
  }

  /** Nearest-rank percentile {@code p} (0 < p ≤ 100) of sorted, non-empty {@code sorted}. */
  static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /**
   * Percentiles in microseconds.
   *
   * @param count how many samples
   * @param p50 median
   * @param p90 90th percentile
   * @param p99 99th percentile
   * @param max largest sample
   */
  public record Summary(int count, long p50, long p90, long p99, long max) {}
}
