package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Redirect;

/** RFC 3986 resolution of relative URLs against the document URL. */
class TwimlUrlsTest {

  /** RFC 3986 §5.4 base. */
  private static final URI RFC_BASE = URI.create("http://a/b/c/d;p?q");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // RFC 3986 §5.4.1 normal examples
      "g:h|g:h", "g|http://a/b/c/g", "./g|http://a/b/c/g", "g/|http://a/b/c/g/",
      "/g|http://a/g", "//g|http://g", "?y|http://a/b/c/d;p?y", "g?y|http://a/b/c/g?y",
      "#s|http://a/b/c/d;p?q#s", "g#s|http://a/b/c/g#s", "g?y#s|http://a/b/c/g?y#s",
      ";x|http://a/b/c/;x", "g;x|http://a/b/c/g;x", "g;x?y#s|http://a/b/c/g;x?y#s",
      "''|http://a/b/c/d;p?q", ".|http://a/b/c/", "./|http://a/b/c/", "..|http://a/b/",
      "../|http://a/b/", "../g|http://a/b/g", "../..|http://a/", "../../|http://a/",
      "../../g|http://a/g",
      // §5.4.2 abnormal examples
      "../../../g|http://a/g", "../../../../g|http://a/g", "/./g|http://a/g",
      "/../g|http://a/g", "g.|http://a/b/c/g.", ".g|http://a/b/c/.g", "g..|http://a/b/c/g..",
      "..g|http://a/b/c/..g", "./../g|http://a/b/g", "./g/.|http://a/b/c/g/",
      "g/./h|http://a/b/c/g/h", "g/../h|http://a/b/c/h", "g;x=1/./y|http://a/b/c/g;x=1/y",
      "g;x=1/../y|http://a/b/c/y", "g?y/./x|http://a/b/c/g?y/./x",
      "g#s/../x|http://a/b/c/g#s/../x"
  })
  void rfc3986Examples(String reference, String expected) {
    assertEquals(URI.create(expected), TwimlUrls.resolve(RFC_BASE, reference));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "../next|https://app.example.com/voice/next",
      "/abs|https://app.example.com/abs",
      "?q=1|https://app.example.com/voice/menu/start?q=1",
      "next?a=1&b=2|https://app.example.com/voice/menu/next?a=1&b=2",
      "https://other.example.com/x|https://other.example.com/x",
      "  spaced path/é |https://app.example.com/voice/menu/spaced%20path/%C3%A9",
      "ok%20already|https://app.example.com/voice/menu/ok%20already",
      "100%|https://app.example.com/voice/menu/100%25",
      "x#ct=2000&rc=2|https://app.example.com/voice/menu/x#ct=2000&rc=2",
  })
  void relativeReferencesAgainstADocument(String reference, String expected) {
    URI doc = URI.create("https://app.example.com/voice/menu/start?step=1#rt=100");
    assertEquals(URI.create(expected), TwimlUrls.resolve(doc, reference));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://bad_host.example.com/x", "http:///nohost", "http://a b/"})
  void invalidUrlsAreRefused(String reference) {
    assertThrows(IllegalArgumentException.class,
        () -> TwimlUrls.resolve(URI.create("https://app.example.com/"), reference));
  }

  @Test
  void parserResolvesEveryUrlAttributeAgainstTheDocument() throws Exception {
    URI doc = URI.create("https://app.example.com/voice/menu/start");
    TwimlDocument parsed = new TwimlParser().parse("""
        <Response>
          <Gather action="../next" partialResultCallback="?partial=1"/>
          <Redirect>/abs</Redirect>
          <Redirect>?q=1</Redirect>
        </Response>""", doc);

    Gather gather = (Gather) parsed.verbs().get(0);
    assertEquals(URI.create("https://app.example.com/voice/next"), gather.action());
    assertEquals(Optional.of(URI.create("https://app.example.com/voice/menu/start?partial=1")),
        gather.partialResultCallback());
    assertEquals(List.of(
            new Redirect(URI.create("https://app.example.com/abs"), Method.POST),
            new Redirect(URI.create("https://app.example.com/voice/menu/start?q=1"), Method.POST)),
        parsed.verbs().subList(1, 3));
  }
}
