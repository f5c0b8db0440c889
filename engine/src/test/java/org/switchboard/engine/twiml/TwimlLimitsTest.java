package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.TwimlException.Kind;

/** The parser's documented limits: at the limit a document parses, one past it is refused. */
class TwimlLimitsTest {

  private final TwimlParser parser = new TwimlParser();

  @Test
  void elementCount() throws Exception {
    String atLimit = "<Response>" + "<Pause/>".repeat(TwimlParser.MAX_ELEMENTS - 1) + "</Response>";
    assertEquals(TwimlParser.MAX_ELEMENTS - 1, parser.parse(atLimit, Fixtures.HOTLINE).verbs().size());

    TwimlException e = refused(
        "<Response>" + "<Pause/>".repeat(TwimlParser.MAX_ELEMENTS) + "</Response>");
    assertTrue(e.getMessage().contains("more than " + TwimlParser.MAX_ELEMENTS + " elements"),
        e.getMessage());
  }

  @Test
  void attributeCount() throws Exception {
    parser.parse("<Response><Say " + attributes(TwimlParser.MAX_ATTRIBUTES) + ">x</Say></Response>",
        Fixtures.HOTLINE);

    TwimlException e = refused("<Response>\n<Say " + attributes(TwimlParser.MAX_ATTRIBUTES + 1)
        + ">x</Say></Response>");
    assertAll(
        () -> assertEquals(2, e.line()),
        () -> assertTrue(e.getMessage().contains("<Say> has 65 attributes, more than 64"),
            e.getMessage()));
  }

  @Test
  void attributeLength() throws Exception {
    String url = "https://hotline.example.org/" + "a".repeat(TwimlParser.MAX_ATTRIBUTE_CHARS - 28);
    parser.parse("<Response><Gather action=\"" + url + "\"/></Response>", Fixtures.HOTLINE);

    TwimlException e = refused("<Response><Gather action=\"" + url + "a\"/></Response>");
    assertTrue(e.getMessage().contains("attribute 'action' is 8193 characters"), e.getMessage());
  }

  @Test
  void textLength() throws Exception {
    String text = "a".repeat(TwimlParser.MAX_TEXT_CHARS);
    parser.parse("<Response><Say>\n" + text + "\n</Say></Response>", Fixtures.HOTLINE);

    TwimlException e = refused("<Response>\n<Say>" + text + "<![CDATA[b]]></Say></Response>");
    assertAll(
        () -> assertEquals(2, e.line()),
        () -> assertTrue(e.getMessage().contains("<Say> holds more than 16384 characters"),
            e.getMessage()));
  }

  @Test
  void nestingDepth() {
    String deep = "<Response><Say>" + "<p>".repeat(TwimlParser.MAX_DEPTH) + "x"
        + "</p>".repeat(TwimlParser.MAX_DEPTH) + "</Say></Response>";

    TwimlException e = refused(deep);
    assertTrue(e.getMessage().contains("nested deeper than 32 levels"), e.getMessage());
  }

  private TwimlException refused(String body) {
    TwimlException e = assertThrows(TwimlException.class, () -> parser.parse(body, Fixtures.HOTLINE));
    assertAll(
        () -> assertEquals(Kind.TOO_LARGE, e.kind()),
        () -> assertEquals(12100, e.code()));
    return e;
  }

  private static String attributes(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(" x").append(i).append("=\"1\"");
    }
    return sb.toString();
  }
}
