package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The simulator's event times: Asterisk's layout, the same text as a full formatter writes. */
class AriJsonTimeTest {
  private static final DateTimeFormatter ASTERISK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  @Test
  void matchesTheFormatterAcrossMillisSecondsAndDays() {
    Instant base = Instant.parse("2026-12-31T23:59:58Z");
    for (long ms = 0; ms < 3_000; ms += 7) {
      Instant t = base.plusMillis(ms).plusNanos(123_456);
      assertEquals(ASTERISK.format(t), AriJson.time(t), t.toString());
    }
    assertEquals("2026-01-01T00:00:00.005+0000", AriJson.time(Instant.parse("2026-01-01T00:00:00.005Z")));
    assertEquals("2026-01-01T00:00:00.050+0000", AriJson.time(Instant.parse("2026-01-01T00:00:00.050Z")));
    assertEquals("2025-06-30T12:00:00.999+0000", AriJson.time(Instant.parse("2025-06-30T12:00:00.999Z")),
        "an earlier second after a later one");
  }
}
