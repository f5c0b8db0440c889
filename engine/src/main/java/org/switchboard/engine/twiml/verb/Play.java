package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Play>}: play an audio file, or DTMF tones when {@code digits} is given.
 *
 * @param url the resolved media URL from the body; empty only when {@code digits} is given
 * @param loop {@code loop} ≥ 0, default 1; 0 means repeat until hangup (at most {@link
 *     Say#MAX_LOOP} times, see {@link #iterations()})
 * @param digits {@code digits}: {@code 0-9 A-D # *}, {@code w} = 0.5 s pause, {@code W} = 1 s;
 *     not allowed inside {@code <Gather>}
 */
public record Play(Optional<URI> url, int loop, Optional<String> digits)
    implements Verb, Gather.Prompt {

  /** Characters allowed in {@code digits} and {@code sendDigits}. */
  public static final String DIGIT_CHARS = "0123456789ABCD#*wW";

  public Play {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(digits, "digits");
    Checks.atLeast("Play loop", loop, 0);
    digits.ifPresent(d -> Checks.charset("Play digits", Checks.nonBlank("Play digits", d), DIGIT_CHARS));
    if (url.isEmpty() && digits.isEmpty()) {
      throw new IllegalArgumentException("Play needs a URL body or a digits attribute");
    }
  }

  /** Play {@code url} once. */
  public static Play of(URI url) {
    return new Play(Optional.of(url), 1, Optional.empty());
  }

  /** How many times to play: {@code loop}, or {@link Say#MAX_LOOP} for {@code loop="0"}. */
  public int iterations() {
    return loop == 0 ? Say.MAX_LOOP : loop;
  }
}
