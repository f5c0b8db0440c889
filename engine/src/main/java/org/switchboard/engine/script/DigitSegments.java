package org.switchboard.engine.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code <Play digits>} into DTMF runs and waits: {@code w} is 500 ms, {@code W} 1000 ms
 * (ARI's {@code between} is uniform, so waits become timers between separate sends).
 */
final class DigitSegments {
  private DigitSegments() {}

  /** {@code "12w3W"} → {@code ["12", "w", "3", "W"]}. */
  static List<String> split(String digits) {
    List<String> out = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (char c : digits.toCharArray()) {
      if (c == 'w' || c == 'W') {
        if (run.length() > 0) {
          out.add(run.toString());
          run.setLength(0);
        }
        out.add(String.valueOf(c));
      } else {
        run.append(c);
      }
    }
    if (run.length() > 0) {
      out.add(run.toString());
    }
    return out;
  }

  /** The wait a segment stands for, or 0 for a run of digits. */
  static int gapMillis(String segment) {
    return switch (segment) {
      case "w" -> 500;
      case "W" -> 1000;
      default -> 0;
    };
  }
}
