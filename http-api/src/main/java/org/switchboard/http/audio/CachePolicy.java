package org.switchboard.http.audio;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a response's {@code Cache-Control} / {@code Expires} headers allow (RFC 9111, private
 * cache subset): whether to store, whether to revalidate on every use, and until when the copy is
 * fresh.
 *
 * @param noStore must not be kept
 * @param noCache may be kept but must be revalidated before each use
 * @param freshUntil the end of freshness
 */
public record CachePolicy(boolean noStore, boolean noCache, Instant freshUntil) {

  /** The policy of a response received at {@code now}. */
  public static CachePolicy of(
      Optional<String> cacheControl, Optional<String> expires, Instant now, Duration fallback) {
    boolean noStore = false;
    boolean noCache = false;
    Long maxAge = null;
    for (String directive : cacheControl.orElse("").split(",")) {
      String d = directive.trim().toLowerCase(Locale.ROOT);
      if (d.equals("no-store")) {
        noStore = true;
      } else if (d.equals("no-cache") || d.startsWith("no-cache=")) {
        noCache = true;
      } else if (d.startsWith("max-age=")) {
        maxAge = parseSeconds(d.substring("max-age=".length()));
      }
    }
    Instant freshUntil;
    if (maxAge != null) {
      freshUntil = now.plusSeconds(maxAge);
    } else {
      freshUntil = expires.flatMap(CachePolicy::parseHttpDate).orElse(now.plus(fallback));
    }
    return new CachePolicy(noStore, noCache, freshUntil);
  }

  /** True when a stored copy can be used at {@code now} without asking the origin. */
  public boolean isFresh(Instant now) {
    return !noStore && !noCache && now.isBefore(freshUntil);
  }

  private static Long parseSeconds(String value) {
    try {
      return Math.max(0, Long.parseLong(value.replace("\"", "").trim()));
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Optional<Instant> parseHttpDate(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant());
    } catch (DateTimeParseException e) {
      // RFC 9111: an invalid Expires means "already expired"
      return Optional.of(Instant.EPOCH);
    }
  }
}
