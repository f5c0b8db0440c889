package org.switchboard.http.speech;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Turns the caller's captured speech into text for {@code <Gather input="speech">}. Pluggable like
 * the {@code <Say>} engines: {@link PocketsphinxRecognizer} (embedded, no network) or {@link
 * HttpSpeechRecognizer} (an OpenAI-compatible {@code /v1/audio/transcriptions} service), chosen by
 * {@code switchboard.speech.engine} ({@link SpeechRecognizers}).
 */
public interface SpeechRecognizer {

  /**
   * Recognises {@code wav} (a RIFF/WAVE file as Asterisk recorded it). Completes with an empty
   * text when nothing was recognised, exceptionally when the engine failed (unreachable, timed
   * out, bad answer, unreadable audio).
   */
  CompletionStage<Recognition> recognize(byte[] wav, Request request);

  /** The engine's name for the logs ({@code pocketsphinx}, {@code http}). */
  String name();

  /**
   * What the {@code <Gather>} says about the speech to expect.
   *
   * @param language BCP-47 ({@code en-US})
   * @param hints expected words and phrases ({@code hints}); may hold Twilio class tokens such as
   *     {@code $OOV_CLASS_DIGIT_SEQUENCE}
   * @param speechModel {@code speechModel} as written
   * @param profanityFilter {@code profanityFilter}
   */
  record Request(String language, List<String> hints, String speechModel, boolean profanityFilter) {
    public Request {
      Objects.requireNonNull(language, "language");
      hints = List.copyOf(hints);
      Objects.requireNonNull(speechModel, "speechModel");
    }
  }

  /**
   * A result.
   *
   * @param text the words recognised, empty for none
   * @param confidence 0.0–1.0, or -1 when the engine gives none (Twilio then omits {@code
   *     Confidence})
   */
  record Recognition(String text, double confidence) {
    public static final Recognition NOTHING = new Recognition("", 0);

    public Recognition {
      Objects.requireNonNull(text, "text");
      text = text.strip();
    }
  }

  /** Thrown (inside a failed stage) when the engine cannot answer. */
  final class SpeechEngineException extends RuntimeException {
    public SpeechEngineException(String message) {
      super(message);
    }

    public SpeechEngineException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
