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
 * external or custom entities, no entity expansion bombs) and nesting depth is bounded. Comments
 * and processing instructions are dropped; CDATA becomes text.
 */
final class XmlTreeReader {

  private static final XMLInputFactory FACTORY = createFactory();

  private final int maxDepth;

  XmlTreeReader(int maxDepth) {
    this.maxDepth = maxDepth;
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
      Location at = e.getLocation();
      throw new TwimlException(
          Kind.MALFORMED_XML,
          at == null ? 0 : at.getLineNumber(),
          at == null ? 0 : at.getColumnNumber(),
          "malformed XML: " + describe(e),
          e);
    } finally {
      closeQuietly(reader);
    }
  }

  private Element readDocument(XMLStreamReader reader) throws XMLStreamException, TwimlException {
    Deque<Element> open = new ArrayDeque<>();
    Element root = null;
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          Element element = startElement(reader);
          if (open.isEmpty()) {
            root = element;
          } else {
            open.peek().children().add(element);
          }
          open.push(element);
          if (open.size() > maxDepth) {
            throw new TwimlException(
                Kind.TOO_LARGE,
                element.line(),
                element.column(),
                "elements nested deeper than " + maxDepth + " levels");
          }
        }
        case XMLStreamConstants.END_ELEMENT -> open.pop();
        case XMLStreamConstants.CHARACTERS,
            XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (!open.isEmpty()) {
            appendText(open.peek().children(), reader.getText());
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

  private static Element startElement(XMLStreamReader reader) {
    Location at = reader.getLocation();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      attributes.put(qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)),
          reader.getAttributeValue(i));
    }
    return new Element(
        qualified(reader.getPrefix(), reader.getLocalName()),
        attributes,
        new ArrayList<>(),
        at.getLineNumber(),
        at.getColumnNumber());
  }

  private static String qualified(String prefix, String localName) {
    return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
  }

  private static void appendText(List<XmlNode> children, String text) {
    int last = children.size() - 1;
    if (last >= 0 && children.get(last) instanceof Text previous) {
      children.set(last, new Text(previous.text() + text));
    } else {
      children.add(new Text(text));
    }
  }

  private static TwimlException refuse(XMLStreamReader reader, String message) {
    Location at = reader.getLocation();
    return new TwimlException(
        Kind.MALFORMED_XML, at.getLineNumber(), at.getColumnNumber(), message);
  }

  private static String describe(XMLStreamException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int newline = message.indexOf('\n');
    String firstLine = newline < 0 ? message : message.substring(0, newline);
    return firstLine.replaceFirst("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*", "").trim();
  }

  private static void closeQuietly(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
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
