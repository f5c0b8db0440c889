package org.switchboard.http.speech;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.switchboard.http.audio.Pcm;
import org.switchboard.http.audio.WavCodec;
import org.switchboard.http.speech.SpeechRecognizer.Request;

/**
 * The embedded recogniser's accuracy on 50 IVR phrases said by espeak-ng voices, with the 50
 * phrases as {@code hints} (grammar) and without (the general language model), on wideband audio
 * (what a {@code wav16} capture of a wideband call holds) and on telephone-band audio (8 kHz).
 * A measurement, not a check: it runs only with {@code -Dspeech.accuracy=true} and writes its table
 * to {@code target/speech-accuracy.md} (docs/speech.md gives the command and the last numbers).
 */
class SpeechAccuracyTest {
  static final List<String> PHRASES = List.of("sales", "support", "billing", "yes", "no",
      "operator", "technical support", "customer service", "account balance", "cancel my order",
      "speak to an agent", "main menu", "repeat", "english", "spanish", "french", "emergency",
      "appointment", "pharmacy", "reception", "shipping", "returns", "new account",
      "reset my password", "check my balance", "pay my bill", "store hours", "directions",
      "human resources", "marketing", "help", "goodbye", "hello", "correct", "wrong", "start over",
      "next", "previous", "monday", "tuesday", "wednesday", "thursday", "friday", "morning",
      "afternoon", "evening", "red", "blue", "green", "volunteer");
  static final List<String> VOICES = List.of("en-us", "en-gb");

  record Mode(String name, boolean hints, int rate) {}

  @Test
  void measure() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("speech.accuracy"), "-Dspeech.accuracy=true runs it");
    Assumptions.assumeTrue(Espeak.onPath("pocketsphinx_continuous"), "pocketsphinx is needed");
    assertTrue(PHRASES.size() == 50);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    PocketsphinxRecognizer recognizer = new PocketsphinxRecognizer(new SpeechSettings.Pocketsphinx(
        "pocketsphinx_continuous", PocketsphinxRecognizerTest.DICTIONARY, Duration.ofSeconds(60), 2),
        pool);
    List<Mode> modes = List.of(new Mode("16 kHz, hints", true, 16000),
        new Mode("16 kHz, no hints", false, 16000), new Mode("8 kHz, hints", true, 8000));
    StringBuilder table = new StringBuilder(
        "| voice | audio, hints | correct of 50 | mean confidence (correct) | misheard, e.g. |\n|---|---|---|---|---|\n");
    for (String voice : VOICES) {
      List<byte[]> said = new ArrayList<>();
      for (String p : PHRASES) {
        said.add(Espeak.say(p, voice, 150));
      }
      for (Mode mode : modes) {
        int correct = 0;
        double confidence = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < PHRASES.size(); i++) {
          Pcm pcm = WavCodec.decodeWav(said.get(i)).resampledTo(mode.rate());
          SpeechRecognizer.Recognition r = recognizer.recognize(WavCodec.encodeWav(pcm),
              new Request("en-US", mode.hints() ? PHRASES : List.of(), "default", true))
              .toCompletableFuture().join();
          if (r.text().toLowerCase(Locale.ROOT).equals(PHRASES.get(i))) {
            correct++;
            confidence += r.confidence();
          } else if (wrong.size() < 3) {
            wrong.add("\"" + PHRASES.get(i) + "\" → \"" + r.text() + "\"");
          }
        }
        table.append("| ").append(voice).append(" | ").append(mode.name()).append(" | ")
            .append(correct).append(" | ")
            .append(String.format(Locale.ROOT, "%.2f", correct == 0 ? 0 : confidence / correct))
            .append(" | ").append(String.join(", ", wrong)).append(" |\n");
      }
    }
    pool.shutdownNow();
    Path out = Path.of("target/speech-accuracy.md");
    Files.writeString(out, table);
    System.out.println(table);
  }
}
