package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <Play>} fetching against a real local HTTP server. */
class MediaFetcherTest extends AllDirectives {

  @TempDir static Path dir;
  static ActorTestKit testKit;
  static MediaStore store;
  static MediaFetcher fetcher;
  static String origin;
  static String mediaBase;
  static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  static final AtomicInteger conditionalHits = new AtomicInteger();
  static final CompletableFuture<HttpResponse> slowResponse = new CompletableFuture<>();
  static byte[] toneWav;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    AudioSettings settings = AudioTestSupport.settings(dir);
    store = new MediaStore(settings);
    fetcher = new MediaFetcher(settings, store, testKit.system(),
        Executors.newFixedThreadPool(2), Clock.systemUTC());
    toneWav = stereoWav16k();
    Http http = Http.get(testKit.system());
    ServerBinding originBinding = http.newServerAt("127.0.0.1", 0).bind(new MediaFetcherTest().origin())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    origin = "http://127.0.0.1:" + originBinding.localAddress().getPort();
    ServerBinding mediaBinding = http.newServerAt("127.0.0.1", 0).bind(new MediaRoute(store).route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    mediaBase = "http://127.0.0.1:" + mediaBinding.localAddress().getPort();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Route origin() {
    return extractRequest(request -> path(name -> {
      hits.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      return switch (name) {
        case "tone.wav" -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.AUDIO_WAV), toneWav))
            .addHeader(RawHeader.create("Cache-Control", "max-age=3600")));
        case "hello.mp3" -> complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.create(MediaTypes.AUDIO_MPEG), readFixture("hello.mp3"))));
        case "moved.wav" -> redirect(org.apache.pekko.http.javadsl.model.Uri.create(origin + "/tone.wav"),
            StatusCodes.FOUND);
        case "etag.wav" -> {
          if (request.getHeader("If-None-Match").map(h -> h.value().equals("\"v1\"")).orElse(false)) {
            conditionalHits.incrementAndGet();
            yield complete(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED)
                .addHeader(RawHeader.create("ETag", "\"v1\"")));
          }
          yield complete(HttpResponse.create()
              .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.AUDIO_WAV), toneWav))
              .addHeader(RawHeader.create("ETag", "\"v1\""))
              .addHeader(RawHeader.create("Cache-Control", "no-cache")));
        }
        case "garbage.wav" -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, "not audio at all".getBytes())));
        case "huge.wav" -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.create(MediaTypes.AUDIO_WAV), new byte[3 * 1024 * 1024])));
        case "slow.wav" -> completeWithFuture(slowResponse);
        default -> complete(StatusCodes.NOT_FOUND, "nope");
      };
    }));
  }

  @Test
  void wavIsFetchedTranscodedAndServed() throws Exception {
    String uri = play("/tone.wav");

    assertTrue(uri.startsWith("sound:http://media.test:8080/media/"), uri);
    Pcm served = WavCodec.decodeWav(AudioTestSupport.get(
        mediaBase + "/media/" + AudioTestSupport.hashOf(uri) + ".wav", null).body());
    assertEquals(8000, served.sampleRate());
    assertEquals(1.0, served.durationSeconds(), 0.01);
    assertTrue(served.rms() > 5000, "tone kept its level: " + served.rms());
  }

  @Test
  void freshEntryIsReusedWithoutARequest() throws Exception {
    String first = play("/tone.wav");
    int before = hits.get("tone.wav").get();

    assertEquals(first, play("/tone.wav"));
    assertEquals(before, hits.get("tone.wav").get());
  }

  @Test
  void redirectIsFollowed() throws Exception {
    assertEquals(play("/tone.wav"), play("/moved.wav"));
  }

  @Test
  void mp3MadeByLameIsDecoded() throws Exception {
    Assumptions.assumeTrue(fixtureExists("hello.mp3"), "lame is not installed");
    String uri = play("/hello.mp3");

    Pcm served = WavCodec.decodeWav(AudioTestSupport.get(
        mediaBase + "/media/" + AudioTestSupport.hashOf(uri) + ".wav", null).body());
    assertEquals(8000, served.sampleRate());
    assertTrue(served.rms() > 300, "speech survived: " + served.rms());
    assertTrue(served.durationSeconds() > 0.5 && served.durationSeconds() < 10);
  }

  @Test
  void notModifiedReusesTheCachedFile() throws Exception {
    String first = play("/etag.wav");
    int conditional = conditionalHits.get();

    String second = play("/etag.wav");

    assertEquals(first, second);
    assertEquals(conditional + 1, conditionalHits.get());
  }

  @Test
  void concurrentRequestsForOneUrlShareOneFetch() throws Exception {
    List<CompletableFuture<String>> plays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      plays.add(fetcher.mediaFor(URI.create(origin + "/slow.wav")).toCompletableFuture());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (hits.getOrDefault("slow.wav", new AtomicInteger()).get() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    slowResponse.complete(HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.AUDIO_WAV), toneWav)));

    for (CompletableFuture<String> p : plays) {
      assertEquals(plays.get(0).get(10, TimeUnit.SECONDS), p.get(10, TimeUnit.SECONDS));
    }
    assertEquals(1, hits.get("slow.wav").get());
  }

  @Test
  void failuresCompleteExceptionallyWithAClearMessage() {
    assertTrue(failure("/missing.wav").contains("answered 404"));
    assertTrue(failure("/garbage.wav").contains("not playable audio"));
    assertTrue(failure("/huge.wav").contains("over the limit"));
    assertNotEquals("", failure("/../x"));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> fetcher.mediaFor(URI.create("ftp://example.org/a.wav")).toCompletableFuture().get());
    assertTrue(e.getCause().getMessage().contains("only http and https"));
  }

  private String failure(String path) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> fetcher.mediaFor(URI.create(origin + path)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof MediaFetcher.MediaFetchException, e.getCause().toString());
    return e.getCause().getMessage();
  }

  private static String play(String path) throws Exception {
    return fetcher.mediaFor(URI.create(origin + path)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A 1 s 16 kHz stereo 16-bit WAV of a 440 Hz tone. */
  private static byte[] stereoWav16k() {
    short[] mono = AudioTestSupport.tone(16000, 1.0, 440);
    byte[] mono16 = WavCodec.encodeWav(new Pcm(16000, mono));
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(44 + mono.length * 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.put(mono16, 0, 22).putShort((short) 2).putInt(16000).putInt(64000).putShort((short) 4)
        .putShort((short) 16).put("data".getBytes()).putInt(mono.length * 4);
    out.putInt(4, 36 + mono.length * 4);
    for (short s : mono) {
      out.putShort(s).putShort(s);
    }
    return out.array();
  }

  private static boolean fixtureExists(String name) {
    return Files.isRegularFile(fixtures().resolve(name));
  }

  private static byte[] readFixture(String name) {
    try {
      return Files.readAllBytes(fixtures().resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fixtures made once per run: speech by espeak-ng, MP3 by lame (when installed). */
  private static synchronized Path fixtures() {
    Path fx = dir.resolve("fixtures");
    if (Files.isDirectory(fx)) {
      return fx;
    }
    try {
      Files.createDirectories(fx);
      Path wav = fx.resolve("hello.wav");
      run(List.of("espeak-ng", "-w", wav.toString(), "Hello, this is a recorded message."));
      if (onPath("lame")) {
        run(List.of("lame", "--quiet", "-b", "32", wav.toString(), fx.resolve("hello.mp3").toString()));
      }
      return fx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot make fixtures", e);
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed: " + new String(output));
    }
  }
}
