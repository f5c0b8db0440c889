package org.switchboard.http.speech;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the recogniser {@code switchboard.speech.engine} names. */
public final class SpeechRecognizers {
  private SpeechRecognizers() {}

  /** The recogniser, or empty for {@code none}. */
  public static Optional<SpeechRecognizer> create(SpeechSettings settings) {
    return switch (settings.engine()) {
      case "pocketsphinx" -> Optional.of(new PocketsphinxRecognizer(settings.pocketsphinx(),
          processes(settings.pocketsphinx().processes())));
      case "http" -> Optional.of(new HttpSpeechRecognizer(settings.http()));
      case "none" -> Optional.empty();
      default -> throw new IllegalArgumentException(
          "switchboard.speech.engine must be pocketsphinx, http or none, not " + settings.engine());
    };
  }

  private static ExecutorService processes(int n) {
    return Executors.newFixedThreadPool(Math.max(1, n), r -> {
      Thread t = new Thread(r, "switchboard-speech");
      t.setDaemon(true);
      return t;
    });
  }
}
