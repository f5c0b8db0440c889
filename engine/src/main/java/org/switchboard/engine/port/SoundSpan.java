package org.switchboard.engine.port;

/**
 * The part of a recording kept by Twilio's {@code trim="trim-silence"}: from {@code fromMs} to
 * {@code toMs} of the file as Asterisk recorded it. An all-silent recording keeps nothing ({@code
 * fromMs == toMs}).
 */
public record SoundSpan(long fromMs, long toMs) {
  public SoundSpan {
    if (fromMs < 0 || toMs < fromMs) {
      throw new IllegalArgumentException("bad span " + fromMs + "–" + toMs + " ms");
    }
  }

  /** Whether nothing is kept: the recording was silent throughout. */
  public boolean silent() {
    return toMs == fromMs;
  }

  /** The kept length in whole seconds, rounded down as Asterisk reports a recording's. */
  public int seconds() {
    return (int) ((toMs - fromMs) / 1000);
  }
}
