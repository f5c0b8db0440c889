package org.switchboard.http.realasterisk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The far ends of the answering machine detection measurement (docs/amd.md): voicemail greetings
 * and people saying hello, spoken by espeak-ng from {@code amd/samples.tsv} and put together with
 * sox (silence before, a 1 kHz beep after a greeting, 3 s of silence after), written into a real
 * Asterisk's {@code sounds/en/amd/} where {@code [sbtest-amd]} plays them. Skips the caller when
 * espeak-ng or sox is missing.
 */
public final class AmdSamples {
  /** One far end: {@code machine} tells the truth. */
  public record Sample(String name, boolean machine, double leadSeconds, String voice, int wpm,
      boolean beep, String text) {}

  private AmdSamples() {}

  /** The samples of {@code amd/samples.tsv}. */
  public static List<Sample> all() {
    try (InputStream in = AmdSamples.class.getResourceAsStream("/amd/samples.tsv")) {
      if (in == null) {
        throw new IllegalStateException("amd/samples.tsv is not on the test classpath");
      }
      List<Sample> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Sample(f[0], f[1].equals("machine"), Double.parseDouble(f[2]), f[3],
            Integer.parseInt(f[4]), f[5].equals("yes"), f[6]));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes every sample into {@code asterisk}'s {@code sounds/en/amd/} (once per instance). */
  public static synchronized void install(RealAsterisk asterisk) {
    Path dir = asterisk.dir().resolve("var/lib/asterisk/sounds/en/amd");
    List<Sample> samples = all();
    if (samples.stream().allMatch(s -> Files.isRegularFile(dir.resolve(s.name() + ".wav")))) {
      return;
    }
    Assumptions.assumeTrue(onPath("espeak-ng") && onPath("sox"),
        "espeak-ng and sox are needed to make the answering machine samples");
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempDirectory("amd-samples");
      run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tmp.resolve("beep.wav").toString(),
          "synth", "0.5", "sine", "1000", "vol", "0.5");
      run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tmp.resolve("tail.wav").toString(),
          "trim", "0", "3");
      for (Sample s : samples) {
        Path raw = tmp.resolve(s.name() + "-raw.wav");
        Path voice = tmp.resolve(s.name() + "-voice.wav");
        Path lead = tmp.resolve(s.name() + "-lead.wav");
        run("espeak-ng", "-v", s.voice(), "-s", Integer.toString(s.wpm()), "-w", raw.toString(),
            s.text());
        run("sox", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", voice.toString());
        run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", lead.toString(), "trim", "0",
            Double.toString(s.leadSeconds()));
        List<String> cmd = new ArrayList<>(List.of("sox", lead.toString(), voice.toString()));
        if (s.beep()) {
          cmd.add(tmp.resolve("beep.wav").toString());
        }
        cmd.add(tmp.resolve("tail.wav").toString());
        cmd.add(dir.resolve(s.name() + ".wav").toString());
        run(cmd.toArray(String[]::new));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
