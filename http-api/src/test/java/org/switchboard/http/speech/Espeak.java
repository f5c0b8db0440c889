package org.switchboard.http.speech;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Speech for tests: espeak-ng's WAV (22.05 kHz, 16-bit mono) of a phrase. */
public final class Espeak {
  private Espeak() {}

  /** {@code text} said by {@code voice} at {@code wpm} words per minute; skips without espeak-ng. */
  public static byte[] say(String text, String voice, int wpm) {
    Assumptions.assumeTrue(onPath("espeak-ng"), "espeak-ng is needed to make speech");
    try {
      Path out = Files.createTempFile("espeak-", ".wav");
      try {
        Process p = new ProcessBuilder(List.of("espeak-ng", "-v", voice, "-s",
            Integer.toString(wpm), "-w", out.toString(), text)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("espeak-ng failed on '" + text + "'");
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** As {@link #say(String, String, int)} with the default English voice at 150 wpm. */
  public static byte[] say(String text) {
    return say(text, "en-us", 150);
  }

  /** Whether {@code tool} is an executable on the PATH. */
  public static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
