package org.switchboard.http.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.http.speech.SpeechRecognizer.Recognition;
import org.switchboard.http.speech.SpeechRecognizer.Request;

/** The embedded recogniser on espeak-ng's speech: grammar from hints, digits, failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PocketsphinxRecognizerTest {
  static final Path DICTIONARY = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
  private ExecutorService pool;
  private PocketsphinxRecognizer recognizer;

  @BeforeAll
  void start() {
    Assumptions.assumeTrue(Espeak.onPath("pocketsphinx_continuous") && Files.isRegularFile(DICTIONARY),
        "pocketsphinx and pocketsphinx-en-us are needed");
    pool = Executors.newFixedThreadPool(2);
    recognizer = new PocketsphinxRecognizer(new SpeechSettings.Pocketsphinx(
        "pocketsphinx_continuous", DICTIONARY, Duration.ofSeconds(30), 2), pool);
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private Recognition recognize(byte[] wav, List<String> hints, String model) {
    return recognizer.recognize(wav, new Request("en-US", hints, model, true))
        .toCompletableFuture().join();
  }

  @Test
  void hintsMakeAGrammarThatHearsTheWord() {
    Recognition r = recognize(Espeak.say("support"), List.of("sales", "support", "billing"), "default");
    assertEquals("support", r.text());
    assertTrue(r.confidence() > 0 && r.confidence() <= 1, "confidence " + r.confidence());
  }

  @Test
  void yesAndNo() {
    assertEquals("no", recognize(Espeak.say("no"), List.of("yes", "no"), "default").text());
    assertEquals("yes", recognize(Espeak.say("yes"), List.of("yes", "no"), "default").text());
  }

  /**
   * The digit class decodes against a digit loop and answers digits; which digits is the engine's
   * accuracy (poor on espeak-ng's digits: docs/speech.md), so only the form is asserted here.
   */
  @Test
  void aDigitSequenceComesBackAsDigits() {
    Recognition r = recognize(Espeak.say("four two seven"), List.of("$OOV_CLASS_DIGIT_SEQUENCE"),
        "default");
    assertTrue(r.text().matches("[0-9]+"), r.text());
    HintGrammar.Compiled digits = new HintGrammar(DICTIONARY)
        .compile(List.of("$OOV_CLASS_DIGIT_SEQUENCE", "operator"), "default");
    assertEquals("427 operator 0", digits.normalize("four two seven operator oh"));
  }

  @Test
  void hintWordsTheDictionaryLacksAreLeftOut() {
    HintGrammar g = new HintGrammar(DICTIONARY);
    HintGrammar.Compiled c = g.compile(List.of("sales", "zxqvbn", "customer service"), "default");
    String jsgf = c.jsgf().orElseThrow();
    assertTrue(jsgf.contains("public <hint> = sales | customer service;"), jsgf);
    assertTrue(g.compile(List.of("zxqvbn"), "default").jsgf().isEmpty(), "no grammar: the model");
  }

  @Test
  void notAudioIsAFailure() {
    CompletionException e = assertThrows(CompletionException.class,
        () -> recognize("garbage".getBytes(), List.of("sales"), "default"));
    assertInstanceOf(SpeechRecognizer.SpeechEngineException.class, e.getCause());
  }

  @Test
  void anotherLanguageIsAFailureThatSaysSo() {
    CompletionException e = assertThrows(CompletionException.class, () -> recognizer
        .recognize(Espeak.say("hola"), new Request("es-ES", List.of(), "default", true))
        .toCompletableFuture().join());
    assertTrue(e.getCause().getMessage().contains("es-ES"), e.getCause().getMessage());
  }
}
