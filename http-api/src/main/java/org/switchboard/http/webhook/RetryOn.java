package org.switchboard.http.webhook;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Failure classes a webhook attempt may be retried on, Twilio's {@code rp} connection override:
 * {@code ct} (no connection: refused, reset, connect timeout), {@code rt} (connected, but the
 * response did not come in time), {@code 4xx}, {@code 5xx}, or {@code all}.
 */
public enum RetryOn {
  CONNECT("ct"),
  READ_TIMEOUT("rt"),
  STATUS_4XX("4xx"),
  STATUS_5XX("5xx");

  private final String wire;

  RetryOn(String wire) {
    this.wire = wire;
  }

  /** The value as written in a URL fragment. */
  public String wire() {
    return wire;
  }

  /**
   * Parses a comma-separated policy such as {@code "ct,5xx"} or {@code "all"}.
   *
   * @throws IllegalArgumentException on an unknown class
   */
  public static Set<RetryOn> parsePolicy(String value) {
    EnumSet<RetryOn> policy = EnumSet.noneOf(RetryOn.class);
    for (String part : value.split(",")) {
      String token = part.trim().toLowerCase(Locale.ROOT);
      if (token.isEmpty()) {
        continue;
      }
      if (token.equals("all")) {
        return EnumSet.allOf(RetryOn.class);
      }
      policy.add(fromWire(token));
    }
    return policy;
  }

  private static RetryOn fromWire(String token) {
    for (RetryOn retryOn : values()) {
      if (retryOn.wire.equals(token)) {
        return retryOn;
      }
    }
    throw new IllegalArgumentException("unknown retry policy '" + token + "'");
  }
}
