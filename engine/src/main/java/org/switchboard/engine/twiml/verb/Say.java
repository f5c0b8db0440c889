package org.switchboard.engine.twiml.verb;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Say>}: speak text with TTS.
 *
 * @param text the plain text to speak: the body with SSML tags flattened away ({@code <sub
 *     alias>} replaced by its alias, {@code <break>} by a space) and whitespace collapsed
 * @param ssml the body exactly as written, SSML elements kept, trimmed; equal to the escaped
 *     {@code text} when the body holds no markup
 * @param voice {@code voice}, e.g. {@code man}, {@code Polly.Joanna-Neural}; empty: the
 *     configured default voice
 * @param language {@code language}, default {@code en-US}
 * @param loop {@code loop} ≥ 0, default 1; 0 means repeat until hangup (at most {@link
 *     #MAX_LOOP} times, see {@link #iterations()})
 */
public record Say(String text, String ssml, Optional<String> voice, String language, int loop)
    implements Verb, Gather.Prompt {

  /** Iteration cap for {@code loop="0"} (spec §5.5). */
  public static final int MAX_LOOP = 1000;

  public static final String DEFAULT_LANGUAGE = "en-US";

  public Say {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(ssml, "ssml");
    Objects.requireNonNull(voice, "voice");
    Checks.nonBlank("Say language", language);
    Checks.atLeast("Say loop", loop, 0);
  }

  /** Plain text with every default: default voice, {@code en-US}, once. */
  public static Say of(String text) {
    String markup = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return new Say(text, markup, Optional.empty(), DEFAULT_LANGUAGE, 1);
  }

  /** How many times to speak: {@code loop}, or {@link #MAX_LOOP} for {@code loop="0"}. */
  public int iterations() {
    return loop == 0 ? MAX_LOOP : loop;
  }
}
