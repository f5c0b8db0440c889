package org.switchboard.http.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that the configured {@code <Say>} engine can run, so a missing espeak-ng is
 * reported once, before the first call, instead of failing every call's prompts. An {@code http}
 * engine is not probed (its service may legitimately come up after this node).
 */
public final class TtsCheck {
  private static final Logger LOG = LoggerFactory.getLogger(TtsCheck.class);
  private static final long PROBE_SECONDS = 20;

  private TtsCheck() {}

  /**
   * Refuses to start ({@link IllegalStateException} with a one-line reason) when the engine
   * cannot run and {@code required}; otherwise logs the problem once and lets the node start
   * without working {@code <Say>} (each prompt then fails like any TTS error).
   */
  public static void atStart(AudioSettings settings, boolean required) {
    Optional<String> problem = problem(settings);
    if (problem.isEmpty()) {
      return;
    }
    if (required) {
      throw new IllegalStateException(problem.get() + ": install espeak-ng, point"
          + " switchboard.audio.tts.espeak.executable at it, or set"
          + " switchboard.audio.tts.required-at-start = false to start without <Say>");
    }
    LOG.warn("{}; starting anyway (switchboard.audio.tts.required-at-start = false): every <Say>"
        + " will fail until it is fixed", problem.get());
  }

  /** Why the configured engine cannot run, or empty when it can (or is not probed). */
  public static Optional<String> problem(AudioSettings settings) {
    return settings.ttsEngine().equals("espeak")
        ? espeakProblem(settings.espeak().executable())
        : Optional.empty();
  }

  /** Runs {@code executable --version}: empty when it answers with status 0 in time. */
  public static Optional<String> espeakProblem(String executable) {
    String problem;
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      problem = !p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS) ? "did not answer in " + PROBE_SECONDS
          + " s" : p.exitValue() != 0 ? "exited with " + p.exitValue() : null;
      p.destroy();
    } catch (IOException e) {
      problem = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    return Optional.ofNullable(problem)
        .map(p -> "the TTS engine '" + executable + "' cannot run (" + p + ")");
  }
}
