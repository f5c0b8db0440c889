package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.twilio.twiml.TwiML;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;

/**
 * The TwiML rows of API.md's "Twilio compatibility" table against the Twilio SDK's own {@code
 * com.twilio.twiml.voice} classes ({@link SdkVoiceTwiml}): every element and every attribute the
 * SDK's builders can write has exactly one row, no row names one the SDK lacks, and each is built
 * with the SDK and read by Switchboard's parser with the outcome its row states: {@code
 * supported}, {@code implemented} and {@code accepted} parse without a warning on the attribute,
 * {@code ignored} parses with one, {@code refused} fails with error 12200. What each supported
 * element does on a call is asserted on the simulator by {@link TwimlVerbsCompatTest}.
 */
class TwimlCatalogTest {
  private static final Pattern NAME = Pattern.compile("`([\\w:-]+)`");
  private static final String ELEMENT = "(element)";
  private static final URI DOC = URI.create("https://app.test/voice");

  /** One TwiML row: SDK classes, attributes (or the element itself), the stated outcome. */
  record Row(List<String> elements, List<String> attributes, String outcome, String line) {}

  static List<Row> rows() throws IOException {
    List<Row> out = new ArrayList<>();
    for (String line : CompatibilityTableTest.rows()) {
      String[] cells = line.split("(?<!\\\\)\\|", -1);
      if (!cells[1].trim().startsWith("TwiML")) {
        continue;
      }
      List<String> attributes = cells[2].contains(ELEMENT) ? List.of() : names(cells[2]);
      out.add(new Row(names(cells[1]), attributes, cells[3].trim(), line));
    }
    return out;
  }

  @Test
  void everySdkElementAndAttributeHasOneRow() throws IOException {
    Map<String, Set<String>> sdk = new LinkedHashMap<>();
    SdkVoiceTwiml.elements().forEach((name, type) ->
        sdk.put(name, SdkVoiceTwiml.attributes(type).keySet()));
    Set<String> rowed = new TreeSet<>();
    Set<String> elementRows = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Row row : rows()) {
      for (String element : row.elements()) {
        if (!sdk.containsKey(element)) {
          problems.add("no SDK element " + element + ": " + row.line());
          continue;
        }
        if (row.attributes().isEmpty() && !elementRows.add(element)) {
          problems.add("two element rows for " + element);
        }
        for (String attribute : row.attributes()) {
          if (!sdk.get(element).contains(attribute)) {
            problems.add("the SDK's " + element + " has no attribute " + attribute);
          } else if (!rowed.add(element + "." + attribute)) {
            problems.add("two rows for " + element + "." + attribute);
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    sdk.forEach((element, attributes) -> {
      if (!elementRows.contains(element)) {
        missing.add(element + " " + ELEMENT);
      }
      boolean refused = isRefusedElement(element);
      for (String attribute : attributes) {
        if (!refused && !rowed.contains(element + "." + attribute)) {
          missing.add(element + "." + attribute);
        }
      }
    });
    assertEquals(List.of(), problems);
    assertEquals(List.of(), missing, "SDK elements and attributes API.md does not classify");
  }

  @Test
  void eachElementAndAttributeParsesAsItsRowSays() throws IOException {
    TwimlParser parser = new TwimlParser();
    List<String> wrong = new ArrayList<>();
    Map<String, Class<? extends TwiML>> elements = SdkVoiceTwiml.elements();
    for (Row row : rows()) {
      String outcome = row.outcome().split("[ :,;(]")[0];
      assertTrue(Set.of("supported", "implemented", "accepted", "ignored", "refused")
          .contains(outcome), "an outcome the catalog knows: " + row.line());
      for (String element : row.elements()) {
        if (row.attributes().isEmpty()) {
          check(parser, element, null, SdkVoiceTwiml.build(elements.get(element), Map.of()),
              outcome, wrong);
        }
        Map<String, SdkVoiceTwiml.Attribute> sdk =
            SdkVoiceTwiml.attributes(elements.get(element));
        for (String attribute : row.attributes()) {
          check(parser, element, attribute, SdkVoiceTwiml.with(sdk.get(attribute)), outcome,
              wrong);
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  private static void check(TwimlParser parser, String element, String attribute, TwiML built,
      String outcome, List<String> wrong) {
    String xml = "<Response>" + Wrapping.wrap(element, SdkVoiceTwiml.xml(built)) + "</Response>";
    String what = element + (attribute == null ? "" : "." + attribute) + " (" + xml + ")";
    try {
      TwimlDocument doc = parser.parse(xml, DOC);
      boolean warned = attribute != null && doc.warnings().stream()
          .anyMatch(w -> w.message().contains("'" + attribute + "'"));
      if (outcome.equals("refused")) {
        wrong.add(what + ": parsed, the row says refused");
      } else if (outcome.equals("ignored") != warned) {
        wrong.add(what + ": " + (warned ? "warned " + doc.warnings() : "no warning")
            + ", the row says " + outcome);
      }
    } catch (TwimlException e) {
      if (!outcome.equals("refused") || e.code() != 12200) {
        wrong.add(what + ": " + e.code() + " " + e.getMessage() + ", the row says " + outcome);
      }
    }
  }

  private static boolean isRefusedElement(String element) {
    try {
      for (Row row : rows()) {
        if (row.attributes().isEmpty() && row.elements().contains(element)) {
          return row.outcome().startsWith("refused");
        }
      }
    } catch (IOException e) {
      fail(e);
    }
    return false;
  }

  private static List<String> names(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = NAME.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Where each element sits in a document, and what it needs around it to be read alone. */
  static final class Wrapping {
    private static final Set<String> DIAL_NOUNS =
        Set.of("Number", "Sip", "Client", "Conference", "Queue");
    private static final String STREAM = "<Stream url=\"wss://app.test/s\" name=\"s1\"/>";

    private Wrapping() {}

    static String wrap(String element, String xml) {
      if (DIAL_NOUNS.contains(element)) {
        return "<Dial>" + xml + "</Dial>";
      }
      return switch (element) {
        case "Identity" -> "<Dial><Client>" + xml + "</Client></Dial>";
        case "Parameter" -> "<Start><Stream url=\"wss://app.test/s\">"
            + require(require(xml, "name", "k"), "value", "v") + "</Stream></Start>";
        case "Stream" -> "<Start>" + require(xml, "url", "wss://app.test/s") + "</Start>";
        case "ReferSip" -> "<Refer>" + xml + "</Refer>";
        case "Refer" -> withChild(xml, "Refer", "<Sip>sip:bob@example.com</Sip>");
        case "Connect", "Start", "Stop" -> withChild(xml, element, STREAM);
        default -> element.startsWith("Ssml") ? "<Say>" + xml + "</Say>" : xml;
      };
    }

    private static String require(String xml, String attribute, String value) {
      if (xml.contains(" " + attribute + "=")) {
        return xml;
      }
      int end = xml.indexOf(xml.contains("/>") && xml.indexOf("/>") < indexOrMax(xml, '>')
          ? "/>" : ">");
      return xml.substring(0, end) + " " + attribute + "=\"" + value + "\"" + xml.substring(end);
    }

    private static int indexOrMax(String xml, char c) {
      int i = xml.indexOf(c);
      return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String withChild(String xml, String tag, String child) {
      if (xml.endsWith("/>")) {
        return xml.substring(0, xml.length() - 2) + ">" + child + "</" + tag + ">";
      }
      return xml.replace("</" + tag + ">", child + "</" + tag + ">");
    }
  }
}
