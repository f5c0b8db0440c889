package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.engine.twiml.TwimlException.Kind;

/**
 * One stray character in an application's document: each is refused with a {@link
 * TwimlException} 12100 naming the line and column, from bytes and from a string alike. Aalto
 * reports several of these lazily (from {@code getText()}) or as plain runtime exceptions, which
 * used to escape the parser and stop the call.
 */
class TwimlStrayCharacterTest {

  private static final TwimlParser PARSER = new TwimlParser();

  record Case(String name, byte[] body, int line, int column, String fragment) {
    static Case of(String name, String body, int line, int column, String fragment) {
      return new Case(name, body.getBytes(StandardCharsets.UTF_8), line, column, fragment);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        Case.of("&nbsp; in Say", "<Response>\n  <Say>Hello&nbsp;caller</Say>\n</Response>", 2, 0,
            "nbsp"),
        Case.of("unescaped & in a URL",
            "<Response>\n  <Redirect>/next?a=1&b=2</Redirect>\n</Response>", 2, 0, "malformed"),
        new Case("Latin-1 without charset",
            "<Response>\n  <Say>Caf\u00e9</Say>\n</Response>".getBytes(StandardCharsets.ISO_8859_1),
            2, 0, "malformed"),
        Case.of("control character", "<Response>\n  <Say>ring\u0008ring</Say>\n</Response>", 2, 0,
            "Illegal XML character"),
        Case.of("truncated document", "<Response><Say>unclosed", 1, 0, "malformed"),
        Case.of("reserved prefix rebound",
            "<Response xmlns:xml=\"urn:x\">\n  <Say>x</Say>\n</Response>", 1, 0, "malformed"));
  }

  @ParameterizedTest(name = "{0} (bytes)")
  @MethodSource("cases")
  void refusedFromBytes(Case c) {
    check(c, assertThrows(TwimlException.class, () -> PARSER.parse(c.body(), Fixtures.HOTLINE)));
  }

  /** The same documents as characters (Latin-1 bytes have no string form of their own). */
  static Stream<Case> textCases() {
    return cases().filter(c -> !c.name().startsWith("Latin-1"));
  }

  @ParameterizedTest(name = "{0} (string)")
  @MethodSource("textCases")
  void refusedFromString(Case c) {
    String body = new String(c.body(), StandardCharsets.UTF_8);
    check(c, assertThrows(TwimlException.class, () -> PARSER.parse(body, Fixtures.HOTLINE)));
  }

  private static void check(Case c, TwimlException e) {
    assertAll(
        () -> assertEquals(Kind.MALFORMED_XML, e.kind(), e.getMessage()),
        () -> assertEquals(12100, e.code()),
        () -> assertEquals(c.line(), e.line(), e.getMessage()),
        () -> assertTrue(e.column() > c.column(), e.getMessage()),
        () -> assertTrue(e.getMessage().contains(c.fragment()), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("line " + c.line() + ", column "),
            e.getMessage()));
  }
}
