package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Base64 from a parser's characters accepts and decodes exactly what the JDK's decoder does. */
class Base64TextTest {

  @Test
  void agreesWithTheJdkOnPayloadsAndOnEveryKindOfMistake() {
    Random random = new Random(7);
    for (int n = 0; n < 200; n++) {
      byte[] audio = new byte[random.nextInt(700)];
      random.nextBytes(audio);
      assertSame(Base64.getEncoder().encodeToString(audio));
      assertSame(Base64.getEncoder().withoutPadding().encodeToString(audio));
    }
    String alphabet = "AZaz09+/=-_%\u00e9\u4e2d ";
    for (int n = 0; n < 20_000; n++) {
      char[] text = new char[random.nextInt(13)];
      for (int i = 0; i < text.length; i++) {
        text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      assertSame(new String(text));
    }
    for (String edge : new String[] {"", "=", "==", "A===", "AA==", "AAA=", "AA=A", "A=A=", "AAAA",
        "AAAA====", "AA==AA==", "AA\u00ff=", "AAA\u0100"}) {
      assertSame(edge);
    }
  }

  private static void assertSame(String text) {
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      expected = null;
    }
    char[] padded = ("xx" + text + "yy").toCharArray();
    byte[] got = Base64Text.decode(padded, 2, text.length());
    if (expected == null) {
      assertNull(got, text);
    } else {
      assertArrayEquals(expected, got, text);
    }
  }
}
