package org.switchboard.http.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.http.api.DateRange;

/** Twilio's date filters as query strings arrive: exact day, {@code >}/{@code <}, raw and encoded. */
class DateFiltersTest {
  private static DateRange range(String query, Map<String, String> echo) {
    return DateFilters.parse(TwilioForm.parse(query, ""), "StartTime", echo);
  }

  private static Optional<Instant> at(String iso) {
    return Optional.of(Instant.parse(iso));
  }

  @Test
  void anExactDateIsThatWholeDayInUtc() {
    DateRange day = range("StartTime=2026-12-07", new LinkedHashMap<>());
    assertTrue(day.contains(at("2026-12-07T00:00:00Z")));
    assertTrue(day.contains(at("2026-12-07T23:59:59.999Z")));
    assertFalse(day.contains(at("2026-12-08T00:00:00Z")));
    assertFalse(day.contains(at("2026-12-06T23:59:59Z")));
    assertFalse(day.contains(Optional.empty()), "a call without the date is outside");
  }

  @Test
  void boundsAreInclusiveInEitherSpellingAndEchoedForPageUris() {
    Map<String, String> echo = new LinkedHashMap<>();
    // The SDK's encoded "StartTime>=…" and a hand-written raw "StartTime<=…".
    DateRange r = range("StartTime%3E=2026-12-07T10:00:00&StartTime<=2026-12-07T11:00:00Z", echo);
    assertTrue(r.contains(at("2026-12-07T10:00:00Z")));
    assertTrue(r.contains(at("2026-12-07T11:00:00Z")));
    assertFalse(r.contains(at("2026-12-07T09:59:59Z")));
    assertFalse(r.contains(at("2026-12-07T11:00:01Z")));
    assertEquals(Map.of("StartTime>", "2026-12-07T10:00:00", "StartTime<", "2026-12-07T11:00:00Z"),
        echo);
    assertEquals(DateRange.ANY, range("To=%2B1", echo));
  }

  @Test
  void aValueThatIsNoDateIs400() {
    TwilioError.TwilioException e = assertThrows(TwilioError.TwilioException.class,
        () -> range("StartTime%3E=yesterday", new LinkedHashMap<>()));
    assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
  }
}
