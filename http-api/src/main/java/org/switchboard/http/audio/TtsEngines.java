package org.switchboard.http.audio;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;

/** Builds the {@code <Say>} engine the settings name. */
public final class TtsEngines {

  private TtsEngines() {}

  /**
   * The engine for {@code switchboard.audio.tts.engine}: {@link EspeakTtsEngine} for "espeak",
   * {@link HttpTtsEngine} for "http".
   */
  public static CachingTtsEngine create(
      AudioSettings settings, MediaStore store, ActorSystem<?> system, Executor executor) {
    return switch (settings.ttsEngine()) {
      case "espeak" -> new EspeakTtsEngine(settings, store);
      case "http" -> new HttpTtsEngine(settings, store, system, executor);
      default -> throw new IllegalArgumentException(
          "switchboard.audio.tts.engine must be espeak or http, not " + settings.ttsEngine());
    };
  }
}
