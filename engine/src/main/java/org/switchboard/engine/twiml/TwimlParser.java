package org.switchboard.engine.twiml;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * Parses a TwiML response body into a {@link TwimlDocument}. Stateless and thread-safe.
 *
 * <p>Rules (spec §4, §5.1, §5.2): the root must be {@code <Response>}; element and attribute
 * names are case-sensitive; a verb nested where it may not be, an unknown element, an element
 * Switchboard does not implement or an invalid attribute value fail the whole document; unknown
 * attributes are ignored and listed in {@link TwimlDocument#warnings()}. Every URL is resolved
 * against the document URL (RFC 3986); a missing Gather/Record {@code action} becomes the
 * document URL. Entities and CDATA are decoded, comments dropped, text bodies trimmed.
 *
 * <p>{@code <Leave>} is accepted anywhere: it only means something in a wait-URL document, and
 * whether it runs there is the interpreter's decision.
 *
 * <p>Security: documents over {@link #MAX_DOCUMENT_BYTES} are refused before parsing; DTDs (and
 * with them external entities and entity expansion) are refused; the tree is bounded by {@link
 * #MAX_DEPTH}, {@link #MAX_ELEMENTS}, {@link #MAX_ATTRIBUTES}, {@link #MAX_ATTRIBUTE_CHARS} and
 * {@link #MAX_TEXT_CHARS} (http-api/API.md, "TwiML documents").
 *
 * <p>{@code parse} throws nothing but {@link TwimlException} for any body: XML errors are 12100
 * with the line and column; a runtime failure of the parser itself (a bug) is logged and
 * reported as {@link Kind#PARSER_FAILURE}, also 12100, so the call takes its error path.
 */
public final class TwimlParser {

  /** Largest accepted body: 64 KB. */
  public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  /** Deepest accepted element nesting (TwiML needs 4; SSML inside Say a few more). */
  public static final int MAX_DEPTH = 32;

  /** Most elements in one document. */
  public static final int MAX_ELEMENTS = 2048;

  /** Most attributes on one element (the richest TwiML element has about 25). */
  public static final int MAX_ATTRIBUTES = 64;

  /** Longest attribute value, in characters (URLs included). */
  public static final int MAX_ATTRIBUTE_CHARS = 8192;

  /** Longest text directly inside one element, in characters (trimmed), e.g. a Say body. */
  public static final int MAX_TEXT_CHARS = 16384;

  private static final Logger LOG = LoggerFactory.getLogger(TwimlParser.class);

  private final XmlTreeReader reader = new XmlTreeReader(new XmlTreeReader.Limits(
      MAX_DEPTH, MAX_ELEMENTS, MAX_ATTRIBUTES, MAX_ATTRIBUTE_CHARS, MAX_TEXT_CHARS));

  /**
   * Parses {@code body} (encoding from its BOM or XML declaration, UTF-8 by default).
   *
   * @param documentUrl the absolute URL the body came from (after redirects)
   * @throws TwimlException when the document cannot run
   */
  public TwimlDocument parse(byte[] body, URI documentUrl) throws TwimlException {
    Objects.requireNonNull(body, "body");
    checkPreconditions(body.length, documentUrl);
    return guarded(documentUrl, () -> toDocument(reader.read(body), documentUrl));
  }

  /** Parses a document held as a string (measured in UTF-8 for the size limit). */
  public TwimlDocument parse(String body, URI documentUrl) throws TwimlException {
    Objects.requireNonNull(body, "body");
    checkPreconditions(body.getBytes(StandardCharsets.UTF_8).length, documentUrl);
    return guarded(documentUrl, () -> toDocument(reader.read(body), documentUrl));
  }

  private static TwimlDocument guarded(URI documentUrl, Parse parse) throws TwimlException {
    try {
      return parse.run();
    } catch (RuntimeException e) {
      LOG.error("TwiML parser failure on the document from {}", documentUrl, e);
      throw new TwimlException(Kind.PARSER_FAILURE, 0, 0,
          "the document could not be read: " + e, e);
    }
  }

  private static void checkPreconditions(int bytes, URI documentUrl) throws TwimlException {
    Objects.requireNonNull(documentUrl, "documentUrl");
    if (!documentUrl.isAbsolute()) {
      throw new IllegalArgumentException("document URL must be absolute: " + documentUrl);
    }
    if (bytes > MAX_DOCUMENT_BYTES) {
      throw new TwimlException(Kind.TOO_LARGE, 0, 0,
          "the document is " + bytes + " bytes, more than " + MAX_DOCUMENT_BYTES);
    }
  }

  private static TwimlDocument toDocument(XmlNode.Element root, URI documentUrl)
      throws TwimlException {
    ReadContext context = new ReadContext(documentUrl);
    List<Verb> verbs = new VerbReader(context).response(root);
    return new TwimlDocument(documentUrl, verbs, context.warnings());
  }

  /** One parse, which may throw anything. */
  @FunctionalInterface
  private interface Parse {
    TwimlDocument run() throws TwimlException;
  }
}
