package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.japi.Pair;
import org.junit.jupiter.api.Test;

class UriEncodingTest {
  private static final List<String> TRICKY = List.of(
      "", "plain", "a b", "fish & chips = 2+2", "Local/+15550009999@switchboard-in",
      "~!*'();:@&=+$,/?#[]%", ".-_*", "Zoë 🎉 漢字", "\\u0000\\u007f", "\u0000\u007f\u0080\u00ff",
      "\ud83c", "x\udf89y", "\ud83c\ud83c\udf89", "sip:alice@example.com;transport=tls");

  @Test
  void formEncodingIsUrlEncodersOutput() {
    for (String value : TRICKY) {
      assertEquals(URLEncoder.encode(value, StandardCharsets.UTF_8), form(value), value);
    }
  }

  @Test
  void componentEncodingIsUrlEncodersOutputWithPercentTwentyForSpace() {
    for (String value : TRICKY) {
      String expected = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
      assertEquals(expected, UriEncoding.component(value), value);
    }
  }

  @Test
  void queryParamIsWhatPekkoRendersForAQuery() {
    Random random = new Random(7);
    List<String> values = new ArrayList<>(TRICKY.stream()
        .filter(v -> v.codePoints().noneMatch(c -> c >= 0xd800 && c < 0xe000))
        .toList());
    for (int i = 0; i < 2_000; i++) {
      StringBuilder value = new StringBuilder();
      for (int j = random.nextInt(10); j > 0; j--) {
        value.appendCodePoint(random.nextBoolean() ? random.nextInt(128)
            : random.nextBoolean() ? 0x80 + random.nextInt(0xd800 - 0x80)
            : 0x10000 + random.nextInt(0x1000));
      }
      values.add(value.toString());
    }
    for (String value : values) {
      String pekko = Uri.create("http://h/").query(Query.create(Pair.create(value, value)))
          .rawQueryString().orElseThrow();
      StringBuilder ours = new StringBuilder();
      UriEncoding.appendQueryParam(ours, value);
      assertEquals(pekko, ours + "=" + ours, value);
    }
  }

  @Test
  void randomStringsMatchUrlEncoder() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      char[] chars = new char[random.nextInt(12)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = switch (random.nextInt(4)) {
          case 0 -> (char) random.nextInt(128);
          case 1 -> (char) (0x80 + random.nextInt(0x780));
          case 2 -> (char) (0xd800 + random.nextInt(0x800));
          default -> (char) random.nextInt(0x10000);
        };
      }
      String value = new String(chars);
      assertEquals(URLEncoder.encode(value, StandardCharsets.UTF_8), form(value));
    }
  }

  @Test
  void unreservedValueIsReturnedAsIs() {
    String id = "sim-call-12.leg_2";
    assertSame(id, UriEncoding.component(id));
  }

  private static String form(String value) {
    StringBuilder out = new StringBuilder();
    UriEncoding.appendForm(out, value);
    return out.toString();
  }
}
