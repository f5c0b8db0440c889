package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external HTTP TTS engine against a local fake service; sounds-dir delivery. */
class HttpTtsEngineTest extends AllDirectives {

  @TempDir static Path dir;
  static ActorTestKit testKit;
  static int port;
  static final LinkedBlockingQueue<String> requests = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(new HttpTtsEngineTest().service()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  @BeforeEach
  void forgetRequests() {
    requests.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Route service() {
    return path("tts", () -> parameterMap(params -> extractRequest(request -> {
      requests.add(params.get("text") + "|" + params.get("voice") + "|" + params.get("lang") + "|"
          + request.getHeader("X-Api-Key").map(h -> h.value()).orElse(""));
      if (params.get("text").equals("fail")) {
        return complete(StatusCodes.SERVICE_UNAVAILABLE, "quota exceeded");
      }
      byte[] wav = WavCodec.encodeWav(new Pcm(16000, AudioTestSupport.tone(16000, 0.8, 300)));
      return complete(HttpResponse.create()
          .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.AUDIO_WAV), wav)));
    })));
  }

  private static AudioSettings settings(Path cache, String extra) {
    return AudioSettings.fromConfig(ConfigFactory.parseString(
        "switchboard.audio { cache-dir = \"" + cache + "\"\n tts.engine = http\n"
            + " tts.http.url-template = \"http://127.0.0.1:" + port
            + "/tts?text={text}&voice={voice}&lang={language}\"\n"
            + " tts.http.headers { X-Api-Key = secret }\n" + extra + "}")
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void rendersThroughTheServiceAndCaches() throws Exception {
    AudioSettings settings = settings(dir.resolve("a"), "");
    CachingTtsEngine engine = TtsEngines.create(settings, new MediaStore(settings),
        testKit.system(), Executors.newSingleThreadExecutor());

    String uri = engine.render("Hello & welcome", "Polly.Joanna", "en-US").toCompletableFuture()
        .get(20, TimeUnit.SECONDS).get(0);
    String again = engine.render("Hello & welcome", "Polly.Joanna", "en-US").toCompletableFuture()
        .get(20, TimeUnit.SECONDS).get(0);

    assertEquals(uri, again);
    assertEquals("Hello & welcome|Polly.Joanna|en-US|secret", requests.poll(10, TimeUnit.SECONDS));
    assertTrue(requests.isEmpty(), "second render came from the cache");
    Pcm pcm = WavCodec.decodeWav(Files.readAllBytes(
        settings.cacheDir().resolve("media").resolve(AudioTestSupport.hashOf(uri) + ".wav")));
    assertEquals(8000, pcm.sampleRate());
    assertEquals(0.8, pcm.durationSeconds(), 0.01);
  }

  @Test
  void ssmlReachesTheServiceWithItsTextType() throws Exception {
    AudioSettings settings = settings(dir.resolve("ssml"), " tts.http.url-template = \"http://127.0.0.1:"
        + port + "/tts?text={text}&voice={textType}&lang={language}\"\n");
    CachingTtsEngine engine = TtsEngines.create(settings, new MediaStore(settings),
        testKit.system(), Executors.newSingleThreadExecutor());
    String ssml = "<speak xml:lang=\"en-US\">Hi <break time=\"1s\"/> there</speak>";

    engine.render(ssml, "", "en-US").toCompletableFuture().get(20, TimeUnit.SECONDS);
    engine.render("Hi there", "", "en-US").toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(ssml + "|ssml|en-US|secret", requests.poll(10, TimeUnit.SECONDS));
    assertEquals("Hi there|text|en-US|secret", requests.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void serviceErrorFailsTheRender() {
    AudioSettings settings = settings(dir.resolve("b"), "");
    CachingTtsEngine engine = TtsEngines.create(settings, new MediaStore(settings),
        testKit.system(), Executors.newSingleThreadExecutor());

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> engine.render("fail", null, null).toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("answered 503: quota exceeded"), e.getCause().getMessage());
  }

  @Test
  void soundsDirDeliveryWritesWav16AndAnswersAFileUri() throws Exception {
    Path sounds = dir.resolve("sounds");
    AudioSettings settings = settings(dir.resolve("c"),
        " delivery = sounds-dir\n sounds-dir = \"" + sounds + "\"\n sample-rate = 16000\n");
    CachingTtsEngine engine = TtsEngines.create(settings, new MediaStore(settings),
        testKit.system(), Executors.newSingleThreadExecutor());

    String uri = engine.render("Hi", "man", "en-GB").toCompletableFuture().get(20, TimeUnit.SECONDS).get(0);

    String hash = uri.substring(uri.lastIndexOf('/') + 1);
    assertEquals("sound:" + sounds.toAbsolutePath() + "/" + hash, uri);
    Pcm pcm = WavCodec.decodeWav(Files.readAllBytes(sounds.resolve(hash + ".wav16")));
    assertEquals(16000, pcm.sampleRate());
    assertEquals(List.of(uri), engine.render("Hi", "man", "en-GB").toCompletableFuture().get());
  }
}
