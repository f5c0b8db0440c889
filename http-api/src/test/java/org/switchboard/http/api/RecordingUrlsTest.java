package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.switchboard.http.testing.SteppedClock;
import org.switchboard.http.api.RecordingStore.AudioFormat;
import org.switchboard.http.api.RecordingUrls.Status;

class RecordingUrlsTest {
  private final SteppedClock clock = SteppedClock.at(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingUrls urls = new RecordingUrls(URI.create("https://sb.example/"), "key",
      Duration.ofMinutes(10), clock);

  @Test
  void signsAndVerifies() {
    URI url = urls.recordingUrl("RE123");
    long expires = clock.instant().getEpochSecond() + 600;
    assertEquals("https://sb.example/recordings/RE123?expires=" + expires + "&sig="
        + urls.sign("RE123", expires), url.toString());
    String sig = urls.sign("RE123", expires);
    assertEquals(Status.VALID, urls.verify("RE123", "" + expires, sig).status());
    assertEquals(AudioFormat.MP3, urls.verify("RE123.mp3", "" + expires, sig).format());
    assertEquals(AudioFormat.MP3, urls.verify("RE123", "" + expires, sig + ".mp3").format());
    assertEquals(Status.VALID, urls.verify("RE123", "" + expires, sig + ".wav").status());
    assertEquals(Status.MISMATCH, urls.verify("RE124", "" + expires, sig).status());
    assertEquals(Status.MISMATCH, urls.verify("RE123", "" + (expires + 1), sig).status());
    assertEquals(Status.MISSING, urls.verify("RE123", null, sig).status());
    assertEquals(Status.MALFORMED, urls.verify("RE123", "soon", sig).status());
    assertEquals(Status.MALFORMED, urls.verify("RE123", "" + expires, "abc").status());
    RecordingUrls otherKey = new RecordingUrls(URI.create("https://sb.example"), "other",
        Duration.ofMinutes(10), clock);
    assertEquals(Status.MISMATCH, otherKey.verify("RE123", "" + expires, sig).status());
    clock.advance(java.time.Duration.ofSeconds(601));
    assertEquals(Status.EXPIRED, urls.verify("RE123", "" + expires, sig).status());
    assertThrows(IllegalArgumentException.class, () -> urls.recordingUrl("../etc/passwd"));
  }

  @Test
  void urlsIssuedMomentsApartForOneRecordingAreTheSame() {
    SteppedClock late = SteppedClock.at(java.time.Instant.parse("2026-01-01T00:00:59.900Z"));
    RecordingUrls lateUrls = new RecordingUrls(URI.create("https://sb.example/"), "key",
        Duration.ofMinutes(10), late);
    URI first = lateUrls.recordingUrl("RE123");
    late.advance(Duration.ofMillis(200));
    assertEquals(first, lateUrls.recordingUrl("RE123"));
    long expires = Long.parseLong(first.getQuery().replaceAll("expires=(\\d+).*", "$1"));
    assertEquals(0, expires % 60);
    assertTrue(expires >= late.instant().getEpochSecond() + 600);
  }
}
