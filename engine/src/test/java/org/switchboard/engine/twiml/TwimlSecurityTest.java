package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.verb.Say;

/** Hostile or oversized bodies are refused before they can do harm. */
class TwimlSecurityTest {

  private final TwimlParser parser = new TwimlParser();

  @Test
  void externalEntityIsRefusedAndNothingIsRead(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-VALUE");
    String xxe = "<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE Response [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<Response><Say>&xxe;</Say></Response>";

    TwimlException e = assertThrows(TwimlException.class, () -> parser.parse(xxe, Fixtures.HOTLINE));

    assertEquals(Kind.MALFORMED_XML, e.kind());
    assertEquals(12100, e.code());
    assertTrue(e.getMessage().contains("DOCTYPE / DTD is not allowed"), e.getMessage());
    assertFalse(e.getMessage().contains("TOP-SECRET-VALUE"));
  }

  @Test
  void entityExpansionIsRefused() {
    String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE Response [\n"
        + " <!ENTITY a \"lol\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        + " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
        + "<Response><Say>&c;</Say></Response>";

    TwimlException e = assertThrows(TwimlException.class,
        () -> parser.parse(laughs, Fixtures.HOTLINE));

    assertEquals(Kind.MALFORMED_XML, e.kind());
  }

  @Test
  void documentsOver64KbAreRefusedBeforeParsing() {
    String padding = "x".repeat(TwimlParser.MAX_DOCUMENT_BYTES);
    String big = "<Response><Say>" + padding + "</Say></Response>";

    TwimlException e = assertThrows(TwimlException.class, () -> parser.parse(big, Fixtures.HOTLINE));

    assertEquals(Kind.TOO_LARGE, e.kind());
  }

  @Test
  void aDocumentOfExactly64KbIsAccepted() throws Exception {
    // five <Say>s, each under MAX_TEXT_CHARS
    String open = "<Response>";
    String close = "</Response>";
    int says = 5;
    int textChars = (TwimlParser.MAX_DOCUMENT_BYTES - open.length() - close.length()) / says
        - "<Say></Say>".length();
    String text = "y".repeat(textChars);
    String padding = " ".repeat(TwimlParser.MAX_DOCUMENT_BYTES - open.length() - close.length()
        - says * (textChars + "<Say></Say>".length()));
    String body = open + ("<Say>" + text + "</Say>").repeat(says) + padding + close;
    assertEquals(TwimlParser.MAX_DOCUMENT_BYTES, body.length());

    TwimlDocument doc = parser.parse(body, Fixtures.HOTLINE);

    assertEquals(says, doc.verbs().size());
    assertEquals(text, ((Say) doc.verbs().get(says - 1)).text());
  }

  @Test
  void deepNestingIsRefusedWithItsPosition() {
    String deep = "<Response><Say>\n" + "<s>".repeat(40) + "x" + "</s>".repeat(40) + "</Say></Response>";

    TwimlException e = assertThrows(TwimlException.class, () -> parser.parse(deep, Fixtures.HOTLINE));

    assertEquals(Kind.TOO_LARGE, e.kind());
    assertEquals(2, e.line());
    assertEquals(1 + 3 * (TwimlParser.MAX_DEPTH - 2), e.column());
  }

  @Test
  void declaredEncodingIsHonoured() throws Exception {
    byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Adiós</Say></Response>"
        .getBytes(StandardCharsets.ISO_8859_1);

    assertEquals(List.of(Say.of("Adiós")), parser.parse(latin1, Fixtures.HOTLINE).verbs());
  }

  @Test
  void aStringBodyIgnoresTheEncodingItsDeclarationClaims() throws Exception {
    String body = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>中文</Say></Response>";

    assertEquals(List.of(Say.of("中文")), parser.parse(body, Fixtures.HOTLINE).verbs());
  }
}
