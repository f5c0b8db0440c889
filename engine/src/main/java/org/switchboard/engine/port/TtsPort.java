package org.switchboard.engine.port;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Turns {@code <Say>} text into media Asterisk can play. */
public interface TtsPort {

  /**
   * The ARI media URIs that speak {@code text} (e.g. {@code sound:http://host/tts/ab12.wav}).
   * {@code voice} and {@code language} are the TwiML attributes as written. {@code text} is plain
   * text, or an SSML document ({@code <speak xml:lang="…">…</speak>}) when the {@code <Say>} body
   * holds SSML elements ({@code break}, {@code prosody}, {@code emphasis}, {@code say-as},
   * {@code lang}, {@code p}, {@code s}, {@code sub}, {@code phoneme}, {@code w}).
   */
  CompletionStage<List<String>> render(String text, String voice, String language);
}
