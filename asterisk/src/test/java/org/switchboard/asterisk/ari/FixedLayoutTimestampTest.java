package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedLayoutTimestampTest {
  private static final DateTimeFormatter LAYOUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

  @Test
  void readsAsteriskTimestampsWithAnyOffset() {
    Map<String, String> expected =
        Map.of(
            "2026-11-22T10:15:30.123+0000", "2026-11-22T10:15:30.123Z",
            "2026-11-22T10:15:30.123+0530", "2026-11-22T04:45:30.123Z",
            "2026-11-22T10:15:30.123-0800", "2026-11-22T18:15:30.123Z",
            "2026-11-22T22:15:30.999-0600", "2026-11-23T04:15:30.999Z",
            "2026-11-22T10:15:30.000-0000", "2026-11-22T10:15:30Z",
            "2024-02-29T18:00:00.001+1800", "2024-02-29T00:00:00.001Z");
    expected.forEach(
        (text, instant) ->
            assertEquals(Instant.parse(instant), FixedLayoutTimestamp.parse(text), text));
  }

  @Test
  void agreesWithTheFormatterOnRandomInstantsAndOffsets() {
    Random random = new Random(20261122);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 250_000_000_000_000L));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60, 18 * 60 + 1));
      String text = LAYOUT.format(instant.atOffset(offset));
      assertEquals(AriTimestamps.parseWithFormatter(text), FixedLayoutTimestamp.parse(text), text);
      assertEquals(instant, AriTimestamps.parse(text), text);
    }
  }

  @Test
  void otherLayoutsAreLeftToTheFormatter() {
    for (String text :
        new String[] {
          "2026-11-22T10:15:30.123+00:00",
          "2026-11-22T10:15:30.123Z",
          "2026-11-22T10:15:30+0000",
          "2026-11-22T10:15:30.123456+0000",
          "2026-11-22T10:15:30.12+05300"
        }) {
      assertNull(FixedLayoutTimestamp.parse(text), text);
    }
    assertEquals(
        Instant.parse("2026-11-22T10:15:30.123Z"),
        AriTimestamps.parse("2026-11-22T10:15:30.123+00:00"));
    assertEquals(
        Instant.parse("2026-11-22T04:45:30.123456Z"),
        AriTimestamps.parse("2026-11-22T10:15:30.123456+0530"));
    assertEquals(Instant.parse("2026-11-22T10:15:30Z"), AriTimestamps.parse("2026-11-22T10:15:30Z"));
  }

  @Test
  void outOfRangeFieldsAreNotReadByHand() {
    for (String text :
        new String[] {
          "2026-13-22T10:15:30.123+0000",
          "2026-00-22T10:15:30.123+0000",
          "2026-11-00T10:15:30.123+0000",
          "2026-11-31T10:15:30.123+0000",
          "2025-02-29T10:15:30.123+0000",
          "2026-11-22T24:00:00.000+0000",
          "2026-11-22T10:60:30.123+0000",
          "2026-11-22T10:15:60.123+0000",
          "2026-11-22T10:15:30.123+1801",
          "2026-11-22T10:15:30.123+1900",
          "2026-11-22T10:15:30.123+0560",
          "0000-11-22T10:15:30.123+0000"
        }) {
      assertNull(FixedLayoutTimestamp.parse(text), text);
    }
    // The formatter keeps its own (smart) reading of these, exactly as before the fast path.
    assertEquals(
        OffsetDateTime.parse("2026-11-23T00:00:00Z").toInstant(),
        AriTimestamps.parse("2026-11-22T24:00:00.000+0000"));
    assertEquals(
        Instant.parse("2026-11-30T10:15:30.123Z"),
        AriTimestamps.parse("2026-11-31T10:15:30.123+0000"));
  }

  @Test
  void badInputIsAParseError() {
    for (String text :
        new String[] {
          "",
          "not a timestamp at all......",
          "2026-11-22 10:15:30.123+0000",
          "2026-11-22T10:15:30.123 0000",
          "2026-1a-22T10:15:30.123+0000",
          "2026-11-22T10:15:30.12a+0000",
          "2026-11-22T10:15:30.123+00x0",
          "2026-11-22T10:15:60.123+0000",
          "2026-11-22T10:15:30.123+1801",
          "2026-13-22T10:15:30.123+0000",
          "２026-11-22T10:15:30.123+0000"
        }) {
      assertNull(FixedLayoutTimestamp.parse(text), text);
      assertThrows(DateTimeParseException.class, () -> AriTimestamps.parse(text), text);
    }
  }

  @Test
  void writtenTimestampsReadBackByHand() {
    Instant instant = Instant.parse("2026-11-22T02:04:01.459Z");
    String text = AriTimestamps.format(instant);
    assertEquals(FixedLayoutTimestamp.LENGTH, text.length());
    assertEquals(instant, FixedLayoutTimestamp.parse(text));
  }
}
