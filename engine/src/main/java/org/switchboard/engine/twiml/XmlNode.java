package org.switchboard.engine.twiml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The small XML tree the parser builds before mapping elements to verb records. */
sealed interface XmlNode {

  /** Character data (text and CDATA, entities decoded, adjacent pieces merged). */
  record Text(String text) implements XmlNode {}

  /**
   * An element with its attributes in document order and the 1-based position of its start tag.
   */
  record Element(
      String name, Map<String, String> attributes, List<XmlNode> children, int line, int column)
      implements XmlNode {

    /** Child elements, in order. */
    List<Element> elements() {
      List<Element> out = new ArrayList<>();
      for (XmlNode child : children) {
        if (child instanceof Element e) {
          out.add(e);
        }
      }
      return out;
    }

    /** The concatenated direct text children, trimmed. */
    String text() {
      StringBuilder sb = new StringBuilder();
      for (XmlNode child : children) {
        if (child instanceof Text t) {
          sb.append(t.text());
        }
      }
      return sb.toString().trim();
    }

    /** The trimmed text, or empty when blank. */
    Optional<String> nonBlankText() {
      String text = text();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** "&lt;Name&gt;" for messages. */
    String tag() {
      return "<" + name + ">";
    }
  }
}
