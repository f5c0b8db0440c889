package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code <Gather>}: play the nested prompts while collecting DTMF and/or speech, then request
 * {@code action} with the result (spec §4.4). Without input the script falls through to the
 * next verb unless {@code actionOnEmptyResult}.
 *
 * @param input {@code input}: non-empty set, default {@code dtmf}
 * @param action resolved {@code action}; defaults to the URL of the current document
 * @param method default POST
 * @param timeout seconds (≥ 1) after the prompts, also the inter-digit timeout; default 5
 * @param speechTimeout {@code speechTimeout}: seconds or {@code auto}; default {@code timeout}
 * @param finishOnKey one of {@code 0-9 # *}, or empty for none; default {@code #}
 * @param numDigits ≥ 1; empty = unlimited
 * @param actionOnEmptyResult default false
 * @param partialResultCallback resolved URL, if any
 * @param partialResultCallbackMethod default POST
 * @param language speech language, default {@code en-US}
 * @param hints speech hints (comma list split and trimmed), ≤ 500 entries of ≤ 100 chars
 * @param profanityFilter default true
 * @param speechModel {@code speechModel}, an open set; default {@code default}
 * @param bargeIn whether input interrupts the prompts; default true
 * @param prompts nested Say, Play and Pause, in document order
 */
public record Gather(
    Set<Input> input,
    URI action,
    Method method,
    int timeout,
    SpeechTimeout speechTimeout,
    String finishOnKey,
    OptionalInt numDigits,
    boolean actionOnEmptyResult,
    Optional<URI> partialResultCallback,
    Method partialResultCallbackMethod,
    String language,
    List<String> hints,
    boolean profanityFilter,
    String speechModel,
    boolean bargeIn,
    List<Prompt> prompts)
    implements Verb {

  public static final int DEFAULT_TIMEOUT = 5;
  public static final String DEFAULT_FINISH_ON_KEY = "#";
  public static final String DEFAULT_SPEECH_MODEL = "default";
  public static final int MAX_HINTS = 500;
  public static final int MAX_HINT_LENGTH = 100;

  /** Keys allowed in {@code finishOnKey}. */
  public static final String KEYS = "0123456789#*";

  public Gather {
    input = Checks.set("input", input);
    if (input.isEmpty()) {
      throw new IllegalArgumentException("Gather input must name dtmf, speech or both");
    }
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Checks.atLeast("Gather timeout", timeout, 1);
    Objects.requireNonNull(speechTimeout, "speechTimeout");
    Checks.charset("Gather finishOnKey", Objects.requireNonNull(finishOnKey), KEYS);
    Checks.range("Gather finishOnKey length", finishOnKey.length(), 0, 1);
    Objects.requireNonNull(numDigits, "numDigits");
    numDigits.ifPresent(n -> Checks.atLeast("Gather numDigits", n, 1));
    Objects.requireNonNull(partialResultCallback, "partialResultCallback");
    Objects.requireNonNull(partialResultCallbackMethod, "partialResultCallbackMethod");
    Checks.nonBlank("Gather language", language);
    hints = Checks.list("hints", hints);
    Checks.range("Gather hints count", hints.size(), 0, MAX_HINTS);
    hints.forEach(h -> Checks.maxLength("Gather hint", h, MAX_HINT_LENGTH));
    Checks.nonBlank("Gather speechModel", speechModel);
    prompts = Checks.list("prompts", prompts);
  }

  /** Whether DTMF input is collected. */
  public boolean dtmf() {
    return input.contains(Input.DTMF);
  }

  /** Whether speech input is collected. */
  public boolean speech() {
    return input.contains(Input.SPEECH);
  }

  /** What a {@code <Gather>} may nest: Say, Play (without digits) and Pause. */
  public sealed interface Prompt permits Say, Play, Pause {}

  /** Values of {@code input} (space-separated). */
  public enum Input implements WireEnum {
    DTMF("dtmf"),
    SPEECH("speech");

    private final String wire;

    Input(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /**
   * {@code speechTimeout}: a number of seconds, or {@code auto} (end at the first pause).
   *
   * @param auto true for {@code auto}; then {@code seconds} is 0
   * @param seconds ≥ 0 when not auto
   */
  public record SpeechTimeout(boolean auto, int seconds) {

    public static final SpeechTimeout AUTO = new SpeechTimeout(true, 0);

    public SpeechTimeout {
      Checks.atLeast("speechTimeout", seconds, 0);
      if (auto && seconds != 0) {
        throw new IllegalArgumentException("speechTimeout auto carries no seconds");
      }
    }

    /** A fixed timeout. */
    public static SpeechTimeout seconds(int seconds) {
      return new SpeechTimeout(false, seconds);
    }
  }
}
