package org.switchboard.engine.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code <Play digits>} into DTMF runs and waits: {@code w} is 500 ms, {@code W} 1000 ms
 * (ARI's {@code between} is uniform, so waits become timers between separate sends). ARI answers a
 * send once Asterisk has queued it, before the digits sound, so a run sent is followed by a wait
 * for its playing time ({@link #playing}): the {@code w} after it, the next verb after the last
 * run, start once its digits were heard.
 */
final class DigitSegments {
  /** Asterisk's quiet time before a run of digits ({@code ast_dtmf_stream}). */
  static final int QUIET_MS = 100;

  private static final String PLAYING = "+";

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

  /**
   * The wait segment for the playing time of {@code run} once sent: Asterisk's quiet time, then
   * each digit and the pause after it.
   */
  static String playing(String run) {
    int ms = QUIET_MS
        + run.length() * (CallEffect.SendDtmf.DIGIT_MS + CallEffect.SendDtmf.BETWEEN_MS);
    return PLAYING + ms;
  }

  /** The wait a segment stands for, or 0 for a run of digits. */
  static int gapMillis(String segment) {
    if (segment.startsWith(PLAYING)) {
      return Integer.parseInt(segment.substring(PLAYING.length()));
    }
    return switch (segment) {
      case "w" -> 500;
      case "W" -> 1000;
      default -> 0;
    };
  }
}
