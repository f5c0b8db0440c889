package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "Twilio compatibility" table of http-api/API.md against this module: every test it names
 * exists, every test of the {@code *CompatTest} classes is named, and a row marked supported is
 * proved by a test.
 */
class CompatibilityTableTest {
  private static final List<Class<?>> SUITES = List.of(CallsCompatTest.class,
      RecordingsCompatTest.class, QueuesCompatTest.class, UnsupportedCompatTest.class,
      ConferencesCompatTest.class, TwimlVerbsCompatTest.class, SpeechCompatTest.class,
      TwimlDialCompatTest.class, TwimlAttributesCompatTest.class, TranscriptionCompatTest.class,
      TwimlNounsAndPromptsCompatTest.class, TwimlDialLegsCompatTest.class,
      TwimlStreamsCompatTest.class, TwimlTransferAndTrimCompatTest.class);
  private static final Pattern PROOF = Pattern.compile("`(\\w+)#(\\w+)`");

  static List<String> rows() throws IOException {
    String doc = Files.readString(Path.of(System.getProperty("basedir", "."))
        .resolve("../http-api/API.md"));
    int start = doc.indexOf("## Twilio compatibility");
    assertTrue(start >= 0, "API.md has no Twilio compatibility section");
    int end = doc.indexOf("\n## ", start + 1);
    List<String> rows = new ArrayList<>();
    for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| resource") && !line.startsWith("|---")) {
        rows.add(line);
      }
    }
    return rows;
  }

  static Set<String> tests() {
    Set<String> names = new TreeSet<>();
    for (Class<?> suite : SUITES) {
      for (Method m : suite.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(suite.getSimpleName() + "#" + m.getName());
        }
      }
    }
    return names;
  }

  @Test
  void theTableAndTheModuleNameTheSameTests() throws IOException {
    Set<String> cited = new TreeSet<>();
    List<String> rows = rows();
    assertFalse(rows.isEmpty());
    for (String row : rows) {
      String[] cells = row.split("(?<!\\\\)\\|", -1);
      assertEquals(6, cells.length, "four cells: " + row);
      Matcher proof = PROOF.matcher(cells[4]);
      boolean proved = false;
      while (proof.find()) {
        cited.add(proof.group(1) + "#" + proof.group(2));
        proved = true;
      }
      if (cells[3].trim().startsWith("supported")) {
        assertTrue(proved, "a supported row needs a test: " + row);
      }
    }
    Set<String> existing = tests();
    Set<String> missing = new TreeSet<>(cited);
    missing.removeAll(existing);
    assertEquals(Set.of(), missing, "tests named in API.md that do not exist");
    Set<String> unnamed = new TreeSet<>(existing);
    unnamed.removeAll(cited);
    assertEquals(Set.of(), unnamed, "tests of twilio-compat that API.md does not name");
  }
}
