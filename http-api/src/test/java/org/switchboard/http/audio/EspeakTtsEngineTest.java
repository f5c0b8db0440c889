package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** espeak-ng rendering, caching and serving over the /media/ route (real process, real HTTP). */
class EspeakTtsEngineTest {

  @TempDir static Path dir;
  static ActorTestKit testKit;
  static MediaStore store;
  static EspeakTtsEngine engine;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    AudioSettings settings = AudioTestSupport.settings(dir);
    store = new MediaStore(settings);
    engine = new EspeakTtsEngine(settings, store);
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(new MediaRoute(store).route()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() {
    engine.close();
    testKit.shutdownTestKit();
  }

  @ParameterizedTest
  @CsvSource({
    "en-US, Thank you for calling. Please hold while we connect you.",
    "es-ES, Gracias por llamar. Por favor espere mientras le conectamos.",
    "fr-FR, Merci de votre appel. Veuillez patienter pendant la mise en relation."
  })
  void rendersSpeechServedAsEightKilohertzWav(String language, String text) throws Exception {
    List<String> uris = engine.render(text, "woman", language).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    assertEquals(1, uris.size());
    String uri = uris.get(0);
    assertTrue(uri.matches("sound:http://media\\.test:8080/media/[0-9a-f]{64}\\.wav"), uri);
    String hash = AudioTestSupport.hashOf(uri);
    HttpResponse<byte[]> response = AudioTestSupport.get(base + "/media/" + hash + ".wav", null);
    assertEquals(200, response.statusCode());
    assertEquals("audio/wav", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(String.valueOf(response.body().length),
        response.headers().firstValue("Content-Length").orElse(""));
    assertEquals("\"" + hash + "\"", response.headers().firstValue("ETag").orElse(""));
    Pcm pcm = WavCodec.decodeWav(response.body());
    assertEquals(8000, pcm.sampleRate());
    assertTrue(pcm.rms() > 300, "speech is audible, rms " + pcm.rms());
    assertTrue(pcm.durationSeconds() > 0.5 && pcm.durationSeconds() < 10,
        "plausible duration " + pcm.durationSeconds());
  }

  @Test
  void ssmlRunsInEspeaksSsmlModeWithBreaksAndLanguageSwitches() throws Exception {
    Pcm plain = renderPcm("<speak xml:lang=\"en-US\">Hello there. Goodbye.</speak>");
    Pcm paused = renderPcm(
        "<speak xml:lang=\"en-US\">Hello there. <break time=\"2s\"/> Goodbye.</speak>");
    assertTrue(paused.durationSeconds() - plain.durationSeconds() > 1.5,
        "the break adds its two seconds: " + plain.durationSeconds() + " s vs "
            + paused.durationSeconds() + " s");
    Pcm read = renderPcm("<speak xml:lang=\"en-US\"><prosody rate=\"x-slow\"><emphasis>Hello"
        + "</emphasis></prosody> <say-as interpret-as=\"spell-out\">abc</say-as>"
        + " <lang xml:lang=\"fr-FR\">bonjour</lang><p><s>One.</s><s>Two.</s></p></speak>");
    assertTrue(read.rms() > 300, "speech is audible, rms " + read.rms());
    assertTrue(read.durationSeconds() < 15, "the tags are not read aloud: " + read.durationSeconds());
  }

  @Test
  void languageTagsBecomeEspeakVoiceTags() {
    assertEquals("<speak>a <voice xml:lang=\"fr-FR\">b</voice>"
            + " <say-as interpret-as=\"characters\">c</say-as></speak>",
        EspeakTtsEngine.forEspeak("<speak>a <lang xml:lang=\"fr-FR\">b</lang>"
            + " <say-as interpret-as=\"spell-out\">c</say-as></speak>"));
  }

  private static Pcm renderPcm(String text) throws Exception {
    String uri = engine.render(text, "woman", "en-US").toCompletableFuture()
        .get(30, TimeUnit.SECONDS).get(0);
    HttpResponse<byte[]> response =
        AudioTestSupport.get(base + "/media/" + AudioTestSupport.hashOf(uri) + ".wav", null);
    assertEquals(200, response.statusCode());
    return WavCodec.decodeWav(response.body());
  }

  @Test
  void secondRenderOfSameTextHitsTheCache() throws Exception {
    String text = "Your call is important to us.";
    String first = engine.render(text, "man", "en-US").toCompletableFuture().get(30, TimeUnit.SECONDS).get(0);
    int processes = engine.processesStarted();

    String second = engine.render(text, "man", "en-US").toCompletableFuture().get(30, TimeUnit.SECONDS).get(0);

    assertEquals(first, second);
    assertEquals(processes, engine.processesStarted());
  }

  @Test
  void concurrentRendersOfOneTextStartOneProcess() throws Exception {
    int before = engine.processesStarted();
    List<CompletableFuture<List<String>>> renders = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      renders.add(engine.render("Please stay on the line.", null, "de-DE").toCompletableFuture());
    }
    for (CompletableFuture<List<String>> r : renders) {
      assertEquals(renders.get(0).get(30, TimeUnit.SECONDS), r.get(30, TimeUnit.SECONDS));
    }
    assertEquals(before + 1, engine.processesStarted());
  }

  @Test
  void ifNoneMatchAnswersNotModifiedAndUnknownHashIsNotFound() throws Exception {
    String uri = engine.render("Goodbye.", "man", "en-GB").toCompletableFuture()
        .get(30, TimeUnit.SECONDS).get(0);
    String hash = AudioTestSupport.hashOf(uri);

    assertEquals(304, AudioTestSupport.get(base + "/media/" + hash + ".wav", "\"" + hash + "\"").statusCode());
    assertEquals(200, AudioTestSupport.get(base + "/media/" + hash, "\"other\"").statusCode());
    assertEquals(404, AudioTestSupport.get(base + "/media/" + "0".repeat(64) + ".wav", null).statusCode());
    assertEquals(404, AudioTestSupport.get(base + "/media/..%2Fetc%2Fpasswd", null).statusCode());
  }

  @Test
  void missingExecutableFailsWithAClearMessage(@TempDir Path other) {
    AudioSettings bad =
        AudioTestSupport.withEspeak(AudioTestSupport.settings(other), "/nonexistent/espeak-ng");
    try (EspeakTtsEngine broken = new EspeakTtsEngine(bad, new MediaStore(bad))) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> broken.render("hello", null, null).toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("cannot run espeak-ng"), e.getCause().getMessage());
    }
  }
}
