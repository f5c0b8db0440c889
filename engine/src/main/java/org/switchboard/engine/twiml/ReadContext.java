package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;

/** State of one parse: the document URL relative URLs resolve against, and the warnings. */
final class ReadContext {

  private final URI documentUrl;
  private final List<TwimlWarning> warnings = new ArrayList<>();

  ReadContext(URI documentUrl) {
    this.documentUrl = documentUrl;
  }

  URI documentUrl() {
    return documentUrl;
  }

  List<TwimlWarning> warnings() {
    return warnings;
  }

  void warn(Element at, String message) {
    warnings.add(new TwimlWarning(at.line(), at.column(), message));
  }

  /** Resolves a URL written in {@code at} against the document URL. */
  URI resolve(Element at, String reference) throws TwimlException {
    try {
      return TwimlUrls.resolve(documentUrl, reference);
    } catch (IllegalArgumentException e) {
      throw new TwimlException(
          Kind.INVALID_URL, at.line(), at.column(), at.tag() + ": " + e.getMessage(), e);
    }
  }

  /** Attribute access for {@code element}. */
  Attrs attrs(Element element) {
    return new Attrs(element, this);
  }

  static TwimlException nesting(Element child, Element parent) {
    return new TwimlException(Kind.INVALID_NESTING, child.line(), child.column(),
        child.tag() + " is not allowed inside " + parent.tag());
  }

  static TwimlException invalid(Element at, String message) {
    return new TwimlException(Kind.INVALID_VALUE, at.line(), at.column(), at.tag() + ": " + message);
  }

  /** Builds a record, turning its constructor's validation failure into an INVALID_VALUE. */
  static <T> T build(Element at, Builder<T> builder) throws TwimlException {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw invalid(at, e.getMessage());
    }
  }

  /** A record constructor call that may fail validation. */
  @FunctionalInterface
  interface Builder<T> {
    T build() throws TwimlException;
  }
}
