package org.switchboard.engine.twiml;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.XmlNode.Text;

/**
 * Reads a body into an {@link Element} tree with Aalto StAX, securely: any DTD is refused (so no
 * external or custom entities, no entity expansion bombs) and the tree is bounded by {@link
 * Limits}. Comments and processing instructions are dropped; CDATA becomes text.
 *
 * <p>Every failure is a {@link TwimlException} (12100): Aalto reports some errors as checked
 * {@link XMLStreamException}s and others lazily as unchecked ones (an illegal character is found
 * by {@code getText()}, a reserved namespace prefix by a plain {@code RuntimeException}).
 */
final class XmlTreeReader {

  /**
   * Bounds on the tree, each refused with {@link Kind#TOO_LARGE} at the offending position.
   *
   * @param maxDepth deepest element nesting
   * @param maxElements elements in the whole document
   * @param maxAttributes attributes on one element
   * @param maxAttributeChars characters in one attribute value
   * @param maxTextChars characters of text directly inside one element
   */
  record Limits(
      int maxDepth, int maxElements, int maxAttributes, int maxAttributeChars, int maxTextChars) {}

  private static final XMLInputFactory FACTORY = createFactory();

  private final Limits limits;

  XmlTreeReader(Limits limits) {
    this.limits = limits;
  }

  private static XMLInputFactory createFactory() {
    XMLInputFactory factory = new InputFactoryImpl();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    return factory;
  }

  /** Parses {@code body} (encoding from its BOM / XML declaration, UTF-8 by default). */
  Element read(byte[] body) throws TwimlException {
    return read(() -> FACTORY.createXMLStreamReader(new ByteArrayInputStream(body)));
  }

  /** Parses already-decoded characters (any encoding in the XML declaration is moot). */
  Element read(String body) throws TwimlException {
    return read(() -> FACTORY.createXMLStreamReader(new StringReader(body)));
  }

  private Element read(Source source) throws TwimlException {
    XMLStreamReader reader = null;
    try {
      reader = source.open();
      return readDocument(reader);
    } catch (XMLStreamException e) {
      throw malformed(e, e.getLocation(), describe(e));
    } catch (RuntimeException e) {
      XMLStreamException wrapped = streamCause(e);
      if (wrapped != null) {
        throw malformed(e, wrapped.getLocation(), describe(wrapped));
      }
      throw malformed(e, locationOf(reader), firstLine(String.valueOf(e.getMessage())));
    } finally {
      closeQuietly(reader);
    }
  }

  private static TwimlException malformed(Exception e, Location at, String description) {
    return new TwimlException(
        Kind.MALFORMED_XML,
        at == null ? 0 : Math.max(0, at.getLineNumber()),
        at == null ? 0 : Math.max(0, at.getColumnNumber()),
        "malformed XML: " + description,
        e);
  }

  private static XMLStreamException streamCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof XMLStreamException x) {
        return x;
      }
    }
    return null;
  }

  private static Location locationOf(XMLStreamReader reader) {
    try {
      return reader == null ? null : reader.getLocation();
    } catch (RuntimeException unknown) {
      return null;
    }
  }

  private Element readDocument(XMLStreamReader reader) throws XMLStreamException, TwimlException {
    Deque<Element> open = new ArrayDeque<>();
    Element root = null;
    int elements = 0;
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          Element element = startElement(reader);
          if (++elements > limits.maxElements()) {
            throw tooLarge(element, "more than " + limits.maxElements() + " elements");
          }
          if (open.isEmpty()) {
            root = element;
          } else {
            open.peek().children().add(element);
          }
          open.push(element);
          if (open.size() > limits.maxDepth()) {
            throw tooLarge(element, "elements nested deeper than " + limits.maxDepth() + " levels");
          }
        }
        case XMLStreamConstants.END_ELEMENT -> open.pop();
        case XMLStreamConstants.CHARACTERS,
            XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (!open.isEmpty()) {
            appendText(open.peek(), reader.getText());
          }
        }
        case XMLStreamConstants.DTD -> throw refuse(reader, "a DOCTYPE / DTD is not allowed");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw refuse(reader, "entity reference '" + reader.getLocalName() + "' is not allowed");
        default -> {
          // comments, processing instructions, document start/end: nothing to keep
        }
      }
    }
    if (root == null) {
      throw new TwimlException(Kind.MALFORMED_XML, 1, 1, "the document has no root element");
    }
    return root;
  }

  private Element startElement(XMLStreamReader reader) throws TwimlException {
    Location at = reader.getLocation();
    String name = qualified(reader.getPrefix(), reader.getLocalName());
    int count = reader.getAttributeCount();
    if (count > limits.maxAttributes()) {
      throw new TwimlException(Kind.TOO_LARGE, at.getLineNumber(), at.getColumnNumber(),
          "<" + name + "> has " + count + " attributes, more than " + limits.maxAttributes());
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String attribute = qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i));
      String value = reader.getAttributeValue(i);
      if (value.length() > limits.maxAttributeChars()) {
        throw new TwimlException(Kind.TOO_LARGE, at.getLineNumber(), at.getColumnNumber(),
            "<" + name + "> attribute '" + attribute + "' is " + value.length()
                + " characters, more than " + limits.maxAttributeChars());
      }
      attributes.put(attribute, value);
    }
    return new Element(name, attributes, new ArrayList<>(), at.getLineNumber(), at.getColumnNumber());
  }

  private static String qualified(String prefix, String localName) {
    return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
  }

  private void appendText(Element element, String text) throws TwimlException {
    List<XmlNode> children = element.children();
    int last = children.size() - 1;
    boolean follows = last >= 0 && children.get(last) instanceof Text;
    String merged = follows ? ((Text) children.get(last)).text() + text : text;
    if (merged.strip().length() > limits.maxTextChars()) {
      throw tooLarge(element, element.tag() + " holds more than " + limits.maxTextChars()
          + " characters of text");
    }
    if (follows) {
      children.set(last, new Text(merged));
    } else {
      children.add(new Text(text));
    }
  }

  private static TwimlException tooLarge(Element element, String message) {
    return new TwimlException(Kind.TOO_LARGE, element.line(), element.column(), message);
  }

  private static TwimlException refuse(XMLStreamReader reader, String message) {
    Location at = reader.getLocation();
    return new TwimlException(
        Kind.MALFORMED_XML, at.getLineNumber(), at.getColumnNumber(), message);
  }

  private static String describe(XMLStreamException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return firstLine(message)
        .replaceFirst("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*", "")
        .trim();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void closeQuietly(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException | RuntimeException ignored) {
        // the tree is already built or the parse already failed
      }
    }
  }

  /** Opens the StAX reader over the body. */
  @FunctionalInterface
  private interface Source {
    XMLStreamReader open() throws XMLStreamException;
  }
}
