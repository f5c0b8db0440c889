package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.switchboard.engine.twiml.TwimlException.Kind;

/**
 * Coverage-guided fuzzing of the TwiML parser: whatever the bytes, it returns a document or
 * throws {@link TwimlException} (never {@link Kind#PARSER_FAILURE}, the parser's safety net for
 * its own bugs); anything else is a finding. Seeds and regressions (every crash found, kept):
 * {@code TwimlParserFuzzTestInputs/parse/}.
 */
class TwimlParserFuzzTest {

  private static final TwimlParser PARSER = new TwimlParser();

  @FuzzTest(maxDuration = "5s")
  void parse(byte[] body) {
    parseBytes(body);
    parseString(new String(body, StandardCharsets.UTF_8));
  }

  private static void parseBytes(byte[] body) {
    try {
      assertNotNull(PARSER.parse(body, Fixtures.HOTLINE));
    } catch (TwimlException e) {
      checkReported(e);
    }
  }

  private static void parseString(String body) {
    try {
      assertNotNull(PARSER.parse(body, Fixtures.HOTLINE));
    } catch (TwimlException e) {
      checkReported(e);
    }
  }

  private static void checkReported(TwimlException e) {
    if (e.kind() == Kind.PARSER_FAILURE) {
      throw new AssertionError("the parser failed on its own: " + e.getCause(), e.getCause());
    }
    assertNotNull(e.getMessage());
    if (e.kind() == Kind.MALFORMED_XML || e.kind() == Kind.TOO_LARGE) {
      assertEquals(12100, e.code());
    }
  }
}
