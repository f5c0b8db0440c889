package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ParsedUrlsTest {
  @Test
  void parsesOnceAndAgreesWithBothParsers() {
    ParsedUrls urls = new ParsedUrls(4);
    String url = "https://hotline.example.org:8443/api/voice?t=9&x=a%20b";
    ParsedUrls.Parsed first = urls.get(url);
    assertSame(first, urls.get(url));
    assertEquals(URI.create(url), first.uri());
    assertEquals(url, first.uri().toString());
  }

  @Test
  void staysBounded() {
    ParsedUrls urls = new ParsedUrls(4);
    for (int i = 0; i < 10; i++) {
      urls.get("http://h/" + i);
      assertTrue(urls.size() <= 4, "size " + urls.size());
    }
    assertEquals(URI.create("http://h/9"), urls.get("http://h/9").uri());
  }

  @Test
  void refusesWhatTheParsersRefuse() {
    assertThrows(IllegalArgumentException.class, () -> ParsedUrls.parse("http://h/a b"));
  }
}
