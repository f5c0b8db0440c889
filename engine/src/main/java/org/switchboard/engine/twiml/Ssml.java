package org.switchboard.engine.twiml;

import java.util.Map;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.XmlNode.Text;

/** Turns the body of a {@code <Say>} into plain text to speak and back into SSML markup. */
final class Ssml {

  private Ssml() {}

  /**
   * The words to speak: text of every descendant, {@code <sub>} replaced by its {@code alias},
   * {@code <break>} and block tags separating words, whitespace collapsed.
   */
  static String plainText(Element say) {
    StringBuilder sb = new StringBuilder();
    appendPlain(say, sb);
    return sb.toString().replaceAll("\\s+", " ").trim();
  }

  private static void appendPlain(Element element, StringBuilder sb) {
    for (XmlNode child : element.children()) {
      if (child instanceof Text t) {
        sb.append(t.text());
      } else if (child instanceof Element e) {
        String alias = e.attributes().get("alias");
        if (e.name().equals("sub") && alias != null) {
          sb.append(alias);
        } else if (e.name().equals("break")) {
          sb.append(' ');
        } else {
          boolean block = e.name().equals("p") || e.name().equals("s");
          if (block) {
            sb.append(' ');
          }
          appendPlain(e, sb);
          if (block) {
            sb.append(' ');
          }
        }
      }
    }
  }

  /**
   * The body as markup: text escaped, SSML elements and attributes re-serialised, other tags
   * stripped (their text kept), trimmed.
   */
  static String markup(Element say) {
    StringBuilder sb = new StringBuilder();
    appendMarkup(say, sb);
    return sb.toString().trim();
  }

  private static void appendMarkup(Element element, StringBuilder sb) {
    for (XmlNode child : element.children()) {
      if (child instanceof Text t) {
        escape(t.text(), false, sb);
      } else if (child instanceof Element e && !Elements.SSML.contains(e.name())) {
        appendMarkup(e, sb);
      } else if (child instanceof Element e) {
        sb.append('<').append(e.name());
        for (Map.Entry<String, String> attribute : e.attributes().entrySet()) {
          sb.append(' ').append(attribute.getKey()).append("=\"");
          escape(attribute.getValue(), true, sb);
          sb.append('"');
        }
        if (e.children().isEmpty()) {
          sb.append("/>");
        } else {
          sb.append('>');
          appendMarkup(e, sb);
          sb.append("</").append(e.name()).append('>');
        }
      }
    }
  }

  private static void escape(String text, boolean attribute, StringBuilder sb) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append(attribute ? "&quot;" : "\"");
        default -> sb.append(c);
      }
    }
  }
}
