package org.switchboard.http.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.switchboard.http.speech.SpeechRecognizer.Recognition;

/**
 * Reads what {@code pocketsphinx_continuous -time yes} prints: per utterance a hypothesis line,
 * then one {@code word start end posterior} line per word. The confidence is the mean posterior
 * of the spoken words (silences, fillers and sentence marks left out).
 */
final class PocketsphinxOutput {
  private static final Set<String> NOT_WORDS = Set.of("<s>", "</s>", "<sil>", "[noise]");

  private PocketsphinxOutput() {}

  static Recognition parse(String stdout) {
    List<String> hypotheses = new ArrayList<>();
    double sum = 0;
    int words = 0;
    for (String raw : stdout.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length == 4 && number(f[1]) && number(f[2]) && number(f[3])) {
        String word = f[0].toLowerCase(java.util.Locale.ROOT);
        if (!NOT_WORDS.contains(word) && !word.startsWith("++") && !word.startsWith("[")) {
          sum += Math.max(0, Math.min(1, Double.parseDouble(f[3])));
          words++;
        }
      } else {
        hypotheses.add(line);
      }
    }
    String text = String.join(" ", hypotheses).replaceAll("\\(\\d+\\)", "").strip();
    return text.isEmpty() ? Recognition.NOTHING : new Recognition(text, words == 0 ? 0 : sum / words);
  }

  private static boolean number(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
