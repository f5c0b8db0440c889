package org.switchboard.http.webhook;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Timeouts and retries of one webhook request (spec §5.4): connect timeout {@code ct}, read
 * timeout {@code rt} (until the response starts, and between body chunks), total time {@code tt}
 * (all attempts and redirects together), retry count {@code rc} and retry policy {@code rp}.
 */
public record ConnectionPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalTimeout,
    int retryCount,
    Set<RetryOn> retryPolicy) {

  /** Twilio's documented ranges; overrides outside them are clamped. */
  static final long MIN_MS = 100;

  static final long MAX_CONNECT_MS = 10_000;
  static final long MAX_READ_MS = 15_000;
  static final long MAX_TOTAL_MS = 15_000;
  static final int MAX_RETRIES = 5;

  /** Validates and copies the policy set. */
  public ConnectionPolicy {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(totalTimeout, "totalTimeout");
    if (retryCount < 0) {
      throw new IllegalArgumentException("retryCount must not be negative");
    }
    retryPolicy = Set.copyOf(retryPolicy);
  }

  /** Twilio's defaults: ct 5000 ms, rt 15000 ms, tt 15000 ms, rc 1, rp ct. */
  public static ConnectionPolicy twilioDefaults() {
    return new ConnectionPolicy(
        Duration.ofMillis(5000),
        Duration.ofMillis(15000),
        Duration.ofMillis(15000),
        1,
        EnumSet.of(RetryOn.CONNECT));
  }

  /** Whether a failure or status of this class may be retried. */
  public boolean retries(RetryOn failure) {
    return retryPolicy.contains(failure);
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
