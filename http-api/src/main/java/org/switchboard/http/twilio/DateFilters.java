package org.switchboard.http.twilio;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.api.DateRange;

/**
 * Twilio's date filters of list resources: {@code Name=D} (that day, or that second when a time
 * is given), {@code Name>=D} / {@code Name>} (on or after) and {@code Name<=D} / {@code Name<}
 * (on or before; a date alone means its midnight, as Twilio documents it). Dates are {@code
 * YYYY-MM-DD} in UTC, or ISO date-times as the Twilio SDKs send them ({@code
 * 2026-12-07T11:00:00}, UTC unless an offset is given). A value that is none of these is a 400.
 */
final class DateFilters {
  private DateFilters() {}

  /**
   * The range {@code name} asks for, each filter given also put into {@code echo} (for the page
   * URIs); {@link DateRange#ANY} when none is given.
   */
  static DateRange parse(TwilioForm params, String name, Map<String, String> echo) {
    Optional<String> exact = params.first(name);
    Optional<String> after = params.first(name + ">");
    Optional<String> before = params.first(name + "<");
    Optional<Instant> from = Optional.empty();
    Optional<Instant> to = Optional.empty();
    if (exact.isPresent()) {
      Bound day = bound(name, exact.get());
      from = Optional.of(day.at());
      to = Optional.of(day.at().plus(day.dateOnly() ? Duration.ofDays(1) : Duration.ofSeconds(1))
          .minusNanos(1));
      echo.put(name, exact.get());
    }
    if (after.isPresent()) {
      Instant lower = bound(name + ">", after.get()).at();
      from = Optional.of(from.filter(f -> f.isAfter(lower)).orElse(lower));
      echo.put(name + ">", after.get());
    }
    if (before.isPresent()) {
      Instant upper = bound(name + "<", before.get()).at();
      to = Optional.of(to.filter(t -> t.isBefore(upper)).orElse(upper));
      echo.put(name + "<", before.get());
    }
    return from.isEmpty() && to.isEmpty() ? DateRange.ANY : new DateRange(from, to);
  }

  private record Bound(Instant at, boolean dateOnly) {}

  private static Bound bound(String name, String value) {
    // A raw "StartTime>=D" arrives as the name "StartTime>" and the value "D" (the first "="
    // splits); an encoded "StartTime>=" as the value "=D".
    String text = value.startsWith("=") ? value.substring(1).trim() : value;
    try {
      if (text.length() == 10) {
        return new Bound(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant(), true);
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return new Bound(OffsetDateTime.parse(text).toInstant(), false);
      }
      return new Bound(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC), false);
    } catch (DateTimeParseException e) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, name + " '" + text
          + "' is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ss)");
    }
  }
}
