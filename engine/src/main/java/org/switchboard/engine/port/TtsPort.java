package org.switchboard.engine.port;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Turns {@code <Say>} text into media Asterisk can play. */
public interface TtsPort {

  /**
   * The ARI media URIs that speak {@code text} (e.g. {@code sound:http://host/tts/ab12.wav}).
   * {@code voice} and {@code language} are the TwiML attributes as written.
   */
  CompletionStage<List<String>> render(String text, String voice, String language);
}
