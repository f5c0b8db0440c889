package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Mp3Encoder}: lame once per recording, shared and cached; a clear failure without it. */
class Mp3EncoderTest {
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  @TempDir Path dir;

  @AfterEach
  void stop() {
    blocking.shutdownNow();
  }

  private static byte[] oneSecondTone() {
    short[] samples = new short[8000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
    }
    return WavCodec.encodeWav(new Pcm(8000, samples));
  }

  private static byte[] await(CompletionStage<byte[]> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void encodesOnceThenServesTheCachedFile() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/lame")), "lame is not installed");
    Mp3Encoder encoder = new Mp3Encoder(dir, "lame", Duration.ofSeconds(30), blocking);
    AtomicInteger wavFetches = new AtomicInteger();
    CompletableFuture<byte[]> gate = new CompletableFuture<>();
    Supplier<CompletionStage<byte[]>> wav = () -> {
      wavFetches.incrementAndGet();
      return gate;
    };
    CompletionStage<byte[]> first = encoder.mp3("sim-rec1", wav);
    CompletionStage<byte[]> second = encoder.mp3("sim-rec1", wav);
    gate.complete(oneSecondTone());
    byte[] mp3 = await(first);
    assertArrayEquals(mp3, await(second));
    assertEquals(0xff, mp3[0] & 0xff, "an MPEG frame sync first");
    assertTrue(Files.exists(dir.resolve("recordings-mp3/sim-rec1.mp3")));
    assertArrayEquals(mp3, await(encoder.mp3("sim-rec1", wav)));
    assertEquals(1, wavFetches.get(), "the WAV fetched and encoded once");
    encoder.evict("sim-rec1");
    await(encoder.mp3("sim-rec1", () -> CompletableFuture.completedFuture(oneSecondTone())));
    assertEquals(1, wavFetches.get());
    assertTrue(Files.exists(dir.resolve("recordings-mp3/sim-rec1.mp3")), "encoded again");
  }

  @Test
  void aMissingEncoderFailsClearlyAndCachesNothing() {
    Mp3Encoder encoder = new Mp3Encoder(dir, "/nonexistent/lame", Duration.ofSeconds(5), blocking);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(encoder.mp3("k",
        () -> CompletableFuture.completedFuture(oneSecondTone()))));
    assertInstanceOf(Mp3Encoder.EncoderException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("lame"), e.getCause().getMessage());
    assertTrue(Files.notExists(dir.resolve("recordings-mp3/k.mp3")));
  }
}
