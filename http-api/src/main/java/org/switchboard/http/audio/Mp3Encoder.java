package org.switchboard.http.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes recordings to MP3 with {@code lame} (Debian's {@code lame} package), once per recording:
 * the MP3 is kept in {@code <cache-dir>/recordings-mp3/} and served from there afterwards; two
 * requests for the same recording share one encoding. The encoder runs on the blocking executor,
 * never on a dispatcher thread. A recording is immutable once completed, so a cached file stays
 * valid until {@link #evict} (the recording is deleted).
 */
public final class Mp3Encoder {
  private static final Logger LOG = LoggerFactory.getLogger(Mp3Encoder.class);

  /** Thrown when {@code lame} cannot be run or fails. */
  public static final class EncoderException extends RuntimeException {
    EncoderException(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final String command;
  private final Duration timeout;
  private final Executor blocking;
  private final Map<String, CompletableFuture<byte[]>> running = new ConcurrentHashMap<>();

  /**
   * @param cacheDir the audio cache directory ({@code switchboard.audio.cache-dir})
   * @param command the encoder ({@code switchboard.audio.mp3.executable})
   */
  public Mp3Encoder(Path cacheDir, String command, Duration timeout, Executor blocking) {
    this.dir = cacheDir.resolve("recordings-mp3");
    this.command = command;
    this.timeout = timeout;
    this.blocking = blocking;
  }

  /**
   * The MP3 of the recording {@code key}: from the cache, else encoded from the WAV {@code wav}
   * supplies (asked only then). Fails with {@link EncoderException} when {@code lame} cannot run.
   */
  public CompletionStage<byte[]> mp3(String key, Supplier<CompletionStage<byte[]>> wav) {
    Path cached = file(key);
    CompletableFuture<byte[]> fresh = new CompletableFuture<>();
    CompletableFuture<byte[]> shared = running.putIfAbsent(key, fresh);
    if (shared != null) {
      return shared;
    }
    CompletableFuture.supplyAsync(() -> readIfPresent(cached), blocking)
        .thenCompose(bytes -> bytes != null ? CompletableFuture.completedFuture(bytes)
            : wav.get().thenApplyAsync(w -> encode(w, cached), blocking))
        .whenComplete((bytes, error) -> {
          running.remove(key, fresh);
          if (error != null) {
            fresh.completeExceptionally(error instanceof CompletionException c && c.getCause() != null
                ? c.getCause() : error);
          } else {
            fresh.complete(bytes);
          }
        });
    return fresh;
  }

  /** Forgets the MP3 of {@code key} (its recording was deleted). */
  public void evict(String key) {
    try {
      Files.deleteIfExists(file(key));
    } catch (IOException e) {
      LOG.warn("could not delete the cached MP3 of {}: {}", key, e.toString());
    }
  }

  private Path file(String key) {
    return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp3");
  }

  private static byte[] readIfPresent(Path file) {
    try {
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private byte[] encode(byte[] wav, Path target) {
    Path work = null;
    try {
      Files.createDirectories(dir);
      work = Files.createTempDirectory(dir, "encode");
      Path in = work.resolve("in.wav");
      Path out = work.resolve("out.mp3");
      Path errors = work.resolve("stderr");
      Files.write(in, wav);
      // 32 kbit/s CBR: telephone audio (8 kHz mono) gains nothing from more.
      Process process = new ProcessBuilder(List.of(command, "--quiet", "-b", "32", in.toString(),
          out.toString())).redirectErrorStream(true).redirectOutput(errors.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new EncoderException(command + " timed out after " + timeout.toMillis() + " ms");
      }
      if (process.exitValue() != 0) {
        throw new EncoderException(command + " exited with " + process.exitValue() + ": "
            + Files.readString(errors, StandardCharsets.UTF_8).strip());
      }
      byte[] mp3 = Files.readAllBytes(out);
      Files.move(out, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return mp3;
    } catch (IOException e) {
      LOG.warn("MP3 encoding with {} failed: {}", command, e.toString());
      throw new EncoderException("cannot run " + command + " (install Debian's lame package): "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EncoderException("interrupted while encoding MP3");
    } finally {
      deleteTree(work);
    }
  }

  private static void deleteTree(Path work) {
    if (work == null) {
      return;
    }
    try (var files = Files.list(work)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(work);
    } catch (IOException e) {
      LOG.debug("could not clean {}: {}", work, e.toString());
    }
  }
}
