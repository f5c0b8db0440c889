package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.WaitUrl;

/** Equal bodies from one URL share their parsed verbs; each fetch keeps a document of its own. */
class SharedDocumentsTest {
  private static final URI WAIT = URI.create("https://app.test/wait");
  private static final String ENQUEUE =
      "<Response><Enqueue waitUrl=\"hold\" action=\"after\">support</Enqueue></Response>";

  private final TwimlParser parser = new TwimlParser();
  private final SharedDocuments shared = new SharedDocuments(parser);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEqualBodyFromTheSameUrlGetsTheSameVerbsInADocumentOfItsOwn() throws Exception {
    TwimlDocument first = shared.parse(bytes(ENQUEUE), WAIT);
    // Another call's fetch: new arrays and a new URI of the same text.
    TwimlDocument second = shared.parse(bytes(ENQUEUE), URI.create(WAIT.toString()));
    assertNotSame(first, second, "a call tells fetches apart by the document's identity");
    assertSame(first.verbs(), second.verbs());
    assertSame(first.url(), second.url());
    assertEquals(parser.parse(bytes(ENQUEUE), WAIT), second, "what a parse of its own gives");
  }

  @Test
  void anotherUrlOrBodyIsParsedOnItsOwn() throws Exception {
    TwimlDocument first = shared.parse(bytes(ENQUEUE), WAIT);
    TwimlDocument otherUrl = shared.parse(bytes(ENQUEUE), URI.create("https://app.test/other/wait"));
    TwimlDocument otherBody = shared.parse(bytes(ENQUEUE.replace("support", "sales")), WAIT);
    assertNotSame(first.verbs(), otherUrl.verbs());
    assertEquals(new WaitUrl.Fetch(URI.create("https://app.test/other/hold")),
        ((Enqueue) otherUrl.verbs().get(0)).waitUrl(),
        "relative URLs resolved against the document's own URL");
    assertEquals("sales", ((Enqueue) otherBody.verbs().get(0)).name());
  }

  @Test
  void theMemoryStaysBounded() throws Exception {
    for (int i = 0; i < SharedDocuments.CAPACITY * 2 + 1; i++) {
      shared.parse(bytes("<Response><Say>caller " + i + "</Say></Response>"), WAIT);
    }
    assertEquals(1, shared.size());
    byte[] large = bytes("<Response><Say>" + "x".repeat(SharedDocuments.MAX_BODY_BYTES)
        + "</Say></Response>");
    assertNotSame(shared.parse(large, WAIT).verbs(), shared.parse(large, WAIT).verbs());
  }
}
