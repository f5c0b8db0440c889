package org.switchboard.http.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the durable callback outbox.
 *
 * @param dir directory holding {@code journal.log} and {@code dead-letter.log}
 * @param maxAge how long an undelivered callback is retried before it is dead-lettered
 * @param initialBackoff delay before the first retry; doubled per attempt, with jitter
 * @param maxBackoff upper bound of the retry delay
 * @param fsync when journal writes reach the disk
 * @param fsyncInterval with {@link Fsync#BATCH}, the longest a write may stay unsynced
 * @param compactAfter journal records after which the journal is rewritten with pending entries
 * @param pollInterval how often the delivery loop looks for due entries
 * @param maxInFlight callbacks sent at the same time (each CallSid has at most one in flight)
 * @param probeInterval while callbacks wait for a host that gave no answer (refused, timed out),
 *     how often one of them is tried whatever its backoff: the first answer makes all of them due
 */
public record OutboxSettings(
    Path dir,
    Duration maxAge,
    Duration initialBackoff,
    Duration maxBackoff,
    Fsync fsync,
    Duration fsyncInterval,
    int compactAfter,
    Duration pollInterval,
    int maxInFlight,
    Duration probeInterval) {

  /** The default probe interval of a host that gave no answer. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);

  /** Settings with the default {@code probeInterval}. */
  public OutboxSettings(Path dir, Duration maxAge, Duration initialBackoff, Duration maxBackoff,
      Fsync fsync, Duration fsyncInterval, int compactAfter, Duration pollInterval,
      int maxInFlight) {
    this(dir, maxAge, initialBackoff, maxBackoff, fsync, fsyncInterval, compactAfter,
        pollInterval, maxInFlight, DEFAULT_PROBE_INTERVAL);
  }

  /** Journal durability policy. */
  public enum Fsync {
    /** Every append is forced to disk before {@code notify} returns. */
    ALWAYS,
    /** Appends are forced by the delivery loop at least every {@code fsyncInterval}. */
    BATCH,
    /** The OS decides (a crash of the machine may lose recent callbacks). */
    NEVER;

    /** Parses {@code always}, {@code batch} or {@code never}. */
    public static Fsync parse(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** Validates the values. */
  public OutboxSettings {
    if (dir == null) {
      throw new IllegalArgumentException("outbox dir is required");
    }
    if (maxInFlight < 1 || compactAfter < 1) {
      throw new IllegalArgumentException("max-in-flight and compact-after must be positive");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initial-backoff <= max-backoff");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll-interval must be positive");
    }
    if (probeInterval.isNegative() || probeInterval.isZero()) {
      throw new IllegalArgumentException("probe-interval must be positive");
    }
  }

  /** Defaults for a directory: 24 h max age, 1 s → 1 min backoff, fsync always. */
  public static OutboxSettings defaults(Path dir) {
    return new OutboxSettings(dir, Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofMinutes(1), Fsync.ALWAYS, Duration.ofMillis(100), 10_000,
        Duration.ofMillis(250), 32);
  }
}
