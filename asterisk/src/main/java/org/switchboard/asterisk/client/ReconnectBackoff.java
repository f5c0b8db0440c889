package org.switchboard.asterisk.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long the event socket waits before its next connection attempt: {@code min}, doubled after
 * each attempt that did not get as far as the resync snapshot, at most {@code max}, plus up to
 * {@code jitter} of it at random. A connection that reached the snapshot starts the count again,
 * however briefly it lived, so the first reconnect after a drop always waits {@code min} (a
 * link that drops again and again is not pushed out to the maximum). Thread-safe.
 */
final class ReconnectBackoff {
  private final Duration min;
  private final Duration max;
  private final double jitter;
  private final DoubleSupplier random;
  private int failed;

  ReconnectBackoff(Duration min, Duration max, double jitter) {
    this(min, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} gives numbers in [0, 1). */
  ReconnectBackoff(Duration min, Duration max, double jitter, DoubleSupplier random) {
    this.min = min;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** The wait before the attempt about to be made; counts that attempt. */
  synchronized Duration next() {
    long base = min.toNanos();
    for (int i = 0; i < failed && base < max.toNanos(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toNanos());
    failed++;
    return Duration.ofNanos(base + (long) (base * jitter * random.getAsDouble()));
  }

  /** The connection got its resync snapshot: the next wait is {@code min} again. */
  synchronized void resynced() {
    failed = 0;
  }
}
