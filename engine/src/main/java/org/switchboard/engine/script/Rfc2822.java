package org.switchboard.engine.script;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Twilio's timestamp format: RFC 2822 in GMT, e.g. {@code Fri, 20 Aug 2010 01:13:42 +0000}. */
public final class Rfc2822 {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Rfc2822() {}

  /** Formats {@code instant} in GMT. */
  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }
}
