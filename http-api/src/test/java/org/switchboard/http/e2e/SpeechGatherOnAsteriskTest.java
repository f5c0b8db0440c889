package org.switchboard.http.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;
import org.switchboard.http.speech.Espeak;

/**
 * {@link SpeechGatherEndToEndTest} on a real Asterisk 22: the caller is the far half of a Local
 * channel running {@code [sbtest-speech]}, which plays espeak-ng's word (16 kHz, {@code .wav16})
 * into the call; Asterisk's own {@code TALK_DETECT}, snoop and recording do the rest.
 */
@Tag(RealAsterisk.TAG)
class SpeechGatherOnAsteriskTest extends SpeechGatherEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    Assumptions.assumeTrue(Espeak.onPath("pocketsphinx_continuous") && Espeak.onPath("sox"),
        "pocketsphinx and sox are needed");
    return E2eHarness.onRealAsterisk();
  }

  @Override
  String callSaying(String from, String to, String text) {
    install(text);
    return h.call(from, to, new E2eHarness.Caller("say-" + text + "@sbtest-speech", Optional.empty()));
  }

  /** Writes espeak-ng's {@code text} as Asterisk's {@code sounds/en/speech/<text>.wav16}. */
  private void install(String text) {
    Path file = h.asterisk.dir().resolve("var/lib/asterisk/sounds/en/speech/" + text + ".wav16");
    if (Files.isRegularFile(file)) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path raw = Files.createTempFile("speech-", ".wav");
      Files.write(raw, Espeak.say(text));
      Process p = new ProcessBuilder(List.of("sox", raw.toString(), "-r", "16000", "-c", "1", "-b",
          "16", "-t", "wav", file.toString())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("sox failed: " + out);
      }
      Files.delete(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
