package org.switchboard.asterisk.ari;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Asterisk's own timestamp layout, {@code yyyy-MM-ddTHH:mm:ss.SSS+hhmm} (exactly 28 characters),
 * read by hand. Every ARI event carries at least one such timestamp, and a {@code
 * DateTimeFormatter} parse per timestamp was a visible share of the event decoding cost.
 *
 * <p>Only text in exactly this layout with every field in its plain range is read here; for
 * anything else {@link #parse} answers null and {@link AriTimestamps} asks the formatter, which
 * keeps its own leniencies (e.g. {@code 24:00:00}, a 30th of February) and its error messages.
 */
final class FixedLayoutTimestamp {
  static final int LENGTH = 28;
  private static final int MAX_OFFSET_SECONDS = 18 * 3600;

  private FixedLayoutTimestamp() {}

  /** The instant, or null when the text is not in the fixed layout with valid field values. */
  static Instant parse(String text) {
    if (text.length() != LENGTH || !separatorsAt(text)) {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int millis = digits(text, 20, 3);
    int offsetHours = digits(text, 24, 2);
    int offsetMinutes = digits(text, 26, 2);
    if ((year | month | day | hour | minute | second | millis | offsetHours | offsetMinutes) < 0) {
      return null;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59
        || second > 59 || offsetMinutes > 59) {
      return null;
    }
    if (day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    int offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
    if (offsetSeconds > MAX_OFFSET_SECONDS) {
      return null;
    }
    if (text.charAt(23) == '-') {
      offsetSeconds = -offsetSeconds;
    }
    long epochSecond =
        LocalDate.of(year, month, day).toEpochDay() * 86_400L
            + hour * 3600
            + minute * 60
            + second
            - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
  }

  private static boolean separatorsAt(String text) {
    char sign = text.charAt(23);
    return text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(19) == '.'
        && (sign == '+' || sign == '-');
  }

  /** The decimal value of {@code count} ASCII digits from {@code start}, or -1 for a non-digit. */
  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
