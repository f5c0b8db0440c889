package org.switchboard.http.speech;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@code <Gather>}'s {@code hints} into a JSGF grammar for pocketsphinx: each hint a
 * phrase of dictionary words (a hint with a word the dictionary lacks is left out, logged); the
 * Twilio class tokens {@code $OOV_CLASS_DIGIT_SEQUENCE} (and {@code speechModel
 * numbers_and_commands} without hints) add a digit sequence, whose words come back as digits
 * ({@code "one two"} → {@code "12"}). No usable hint: no grammar (the general language model).
 */
final class HintGrammar {
  private static final Logger LOG = LoggerFactory.getLogger(HintGrammar.class);
  static final String DIGIT_CLASS = "$OOV_CLASS_DIGIT_SEQUENCE";
  private static final List<String> DIGITS = List.of(
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
  private static final Map<String, String> DIGIT_OF = Map.of("oh", "0");

  private final Path dictionary;
  private volatile Set<String> words;

  HintGrammar(Path dictionary) {
    this.dictionary = dictionary;
  }

  /** A grammar, when the hints give one, and how to write its result. */
  record Compiled(Optional<String> jsgf, boolean digits) {
    String normalize(String text) {
      if (!digits) {
        return text;
      }
      StringBuilder out = new StringBuilder();
      boolean lastDigit = false;
      for (String w : text.split("\\s+")) {
        int d = DIGITS.indexOf(w);
        String digit = d >= 0 ? Integer.toString(d) : DIGIT_OF.get(w);
        if (digit != null) {
          out.append(lastDigit || out.length() == 0 ? "" : " ").append(digit);
          lastDigit = true;
        } else if (!w.isEmpty()) {
          out.append(out.length() == 0 ? "" : " ").append(w);
          lastDigit = false;
        }
      }
      return out.toString();
    }
  }

  Compiled compile(List<String> hints, String speechModel) {
    Set<String> phrases = new LinkedHashSet<>();
    boolean digits = hints.isEmpty() && speechModel.equals("numbers_and_commands");
    for (String hint : hints) {
      if (hint.strip().equalsIgnoreCase(DIGIT_CLASS)) {
        digits = true;
        continue;
      }
      String phrase = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").strip()
          .replaceAll("\\s+", " ");
      if (phrase.isEmpty() || phrase.startsWith("$")) {
        continue;
      }
      List<String> missing = Stream.of(phrase.split(" ")).filter(w -> !known(w)).toList();
      if (missing.isEmpty()) {
        phrases.add(phrase);
      } else {
        LOG.warn("speech hint '{}' left out: the pocketsphinx dictionary lacks {}", hint, missing);
      }
    }
    if (phrases.isEmpty() && !digits) {
      return new Compiled(Optional.empty(), false);
    }
    List<String> alternatives = new ArrayList<>(phrases);
    StringBuilder g = new StringBuilder("#JSGF V1.0;\ngrammar hints;\n");
    if (digits) {
      g.append("<digit> = ").append(String.join(" | ", DIGITS)).append(" | oh;\n");
      alternatives.add("<digit>+");
    }
    g.append("public <hint> = ").append(String.join(" | ", alternatives)).append(";\n");
    return new Compiled(Optional.of(g.toString()), digits);
  }

  private boolean known(String word) {
    Set<String> w = words;
    if (w == null) {
      w = load();
      words = w;
    }
    return w.contains(word);
  }

  private Set<String> load() {
    Set<String> out = new HashSet<>();
    try (Stream<String> lines = Files.lines(dictionary)) {
      lines.forEach(l -> {
        int end = l.indexOf(' ');
        String w = end < 0 ? l : l.substring(0, end);
        int alt = w.indexOf('(');
        out.add(alt < 0 ? w : w.substring(0, alt));
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pocketsphinx dictionary " + dictionary, e);
    }
    return out;
  }
}
