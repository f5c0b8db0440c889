package org.switchboard.loadtest;

import java.util.Arrays;

/** A small growable list of longs kept in arrival order (timestamps of one channel). */
final class LongSeries {
  private long[] values = new long[4];
  private int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  int size() {
    return size;
  }

  /** The largest value ≤ {@code limit}, or -1. */
  long latestAtOrBefore(long limit) {
    long best = -1;
    for (int i = 0; i < size; i++) {
      if (values[i] <= limit && values[i] > best) {
        best = values[i];
      }
    }
    return best;
  }

  /** The smallest value ≥ {@code limit}, or -1. */
  long firstAtOrAfter(long limit) {
    long best = -1;
    for (int i = 0; i < size; i++) {
      if (values[i] >= limit && (best < 0 || values[i] < best)) {
        best = values[i];
      }
    }
    return best;
  }
}
