package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * {@link Main} as a process: SIGTERM drains the node and the process exits 0 (not 143), its ARI
 * link and HTTP server closed.
 */
class MainSigtermProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void sigtermDrainsAndExitsZero() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-sigterm");
    try (AriSimulator sim = new AriSimulator()) {
      int simPort = sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"));
      int httpPort = Main.freePort("127.0.0.1");
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(java,
          "-Dswitchboard.webhooks.outbox.dir=" + dir.resolve("outbox"),
          "-Dswitchboard.audio.cache-dir=" + dir.resolve("audio"),
          "-Dswitchboard.drain.deadline=5s",
          "-cp", System.getProperty("java.class.path"), Main.class.getName())
          .redirectErrorStream(true);
      builder.environment().put("SWITCHBOARD_ARI_URL", "http://127.0.0.1:" + simPort + "/ari");
      builder.environment().put("SWITCHBOARD_ARI_USER", "asterisk");
      builder.environment().put("SWITCHBOARD_ARI_PASSWORD", "asterisk");
      builder.environment().put("SWITCHBOARD_VOICE_URL", "http://127.0.0.1:9/voice");
      builder.environment().put("SWITCHBOARD_HTTP_PORT", String.valueOf(httpPort));
      Process process = builder.start();
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
          }
        } catch (java.io.IOException ignored) {
          // the process ended
        }
      }, "main-output");
      reader.setDaemon(true);
      reader.start();
      List<String> seen = new ArrayList<>();
      try {
        // printed once the SIGTERM handler is in place (a signal before it would end the JVM: 143)
        awaitLine(lines, seen, "Switchboard ready on ");
        // Process.destroy() would close this end of the pipes: the drain's output would be lost
        assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
            .start().waitFor());
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "exited: " + seen);
        assertEquals(0, process.exitValue(), String.join("\n", seen));
        reader.join(WAIT.toMillis());
        lines.drainTo(seen);
        assertTrue(seen.stream().anyMatch(l -> l.contains("Drained in")), String.join("\n", seen));
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private static void awaitLine(LinkedBlockingQueue<String> lines, List<String> seen, String part)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.add(line);
      if (line.contains(part)) {
        return;
      }
    }
    throw new AssertionError("no line containing \"" + part + "\": " + String.join("\n", seen));
  }
}
