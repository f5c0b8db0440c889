package org.switchboard.http.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code <Say>} with espeak-ng, run as a subprocess: arguments passed as a list (no shell), the
 * text read from a temporary file on standard input, WAV written to a temporary file, a timeout,
 * and standard error quoted in the failure. At most {@code max-concurrent} processes run at once.
 */
public final class EspeakTtsEngine extends CachingTtsEngine implements AutoCloseable {

  private final AudioSettings.Espeak settings;
  private final Path workDir;
  private final ExecutorService processes;
  private final AtomicInteger started = new AtomicInteger();

  /** An engine configured by {@code settings}, storing into {@code store}. */
  public EspeakTtsEngine(AudioSettings settings, MediaStore store) {
    this(settings, store, Executors.newFixedThreadPool(
        Math.max(1, settings.espeak().maxConcurrent()), daemon("espeak")));
  }

  private EspeakTtsEngine(AudioSettings settings, MediaStore store, ExecutorService pool) {
    super(store, new AudioNormalizer(settings.sampleRate()), pool);
    this.settings = settings.espeak();
    this.workDir = settings.cacheDir().resolve("tmp");
    this.processes = pool;
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + workDir, e);
    }
  }

  /** How many espeak-ng processes this engine has started. */
  public int processesStarted() {
    return started.get();
  }

  @Override
  protected String engineName() {
    return "espeak-ng";
  }

  @Override
  protected String voiceKey(String voice, String language) {
    return VoiceMap.resolve(voice, language).argument() + "/s" + settings.speed();
  }

  @Override
  protected String languageKey(String voice, String language) {
    return VoiceMap.resolve(voice, language).language();
  }

  @Override
  protected CompletionStage<byte[]> synthesize(String text, String voice, String language) {
    VoiceMap.EspeakVoice espeakVoice = VoiceMap.resolve(voice, language);
    return CompletableFuture.supplyAsync(() -> run(text, espeakVoice), processes);
  }

  private byte[] run(String text, VoiceMap.EspeakVoice voice) {
    Path input = null;
    Path output = null;
    Path errors = null;
    Process process = null;
    try {
      input = Files.createTempFile(workDir, "say-", ".txt");
      output = Files.createTempFile(workDir, "say-", ".wav");
      errors = Files.createTempFile(workDir, "say-", ".err");
      boolean ssml = text.stripLeading().startsWith("<speak");
      Files.writeString(input, ssml ? forEspeak(text) : text, StandardCharsets.UTF_8);
      List<String> command = new java.util.ArrayList<>(List.of(settings.executable(),
          "-v", voice.argument(), "-s", Integer.toString(settings.speed()), "-b", "1"));
      if (ssml) {
        command.add("-m");
      }
      command.add("--stdout");
      process = new ProcessBuilder(command)
          .redirectInput(input.toFile())
          .redirectOutput(output.toFile())
          .redirectError(errors.toFile())
          .start();
      started.incrementAndGet();
      if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TtsException("espeak-ng timed out after " + settings.timeout().toMillis()
            + " ms (voice " + voice.argument() + ")");
      }
      String stderr = Files.readString(errors, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new TtsException("espeak-ng exited with " + process.exitValue() + " (voice "
            + voice.argument() + "): " + stderr);
      }
      byte[] wav = Files.readAllBytes(output);
      if (wav.length <= 44) {
        throw new TtsException("espeak-ng produced no audio (voice " + voice.argument() + ")"
            + (stderr.isEmpty() ? "" : ": " + stderr));
      }
      return wav;
    } catch (IOException e) {
      throw new TtsException("cannot run espeak-ng ('" + settings.executable() + "'): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TtsException("interrupted while waiting for espeak-ng", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(input);
      deleteQuietly(output);
      deleteQuietly(errors);
    }
  }

  /**
   * SSML as espeak-ng's SSML mode reads it: {@code <lang xml:lang>} (which it does not know)
   * becomes {@code <voice xml:lang>}, {@code say-as interpret-as="spell-out"} becomes {@code
   * characters}; every other SSML element Twilio documents is read by espeak-ng as is.
   */
  static String forEspeak(String ssml) {
    return ssml.replace("<lang ", "<voice ").replace("<lang>", "<voice>")
        .replace("</lang>", "</voice>")
        .replace("interpret-as=\"spell-out\"", "interpret-as=\"characters\"");
  }

  /** Stops the process pool; renders under way finish. */
  @Override
  public void close() {
    processes.shutdown();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a leftover temp file in the cache's tmp directory is harmless
      }
    }
  }
}
