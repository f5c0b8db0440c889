package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * {@link Main} as {@code scripts/run --env-file .env} starts it, in a JVM of its own: the bridge's
 * variables choose the Asterisk (not the demo), the Stasis app, the port; and {@code
 * ARI_CONNECTION_TIMEOUT_MS} ends a node that never reaches its Asterisk with status 1.
 */
class MainEnvFileTest {
  @TempDir Path dir;

  @Test
  void theBridgeEnvFileRegistersItsStasisAppWithItsAsteriskAndListensOnBridgePort()
      throws Exception {
    try (AriSimulator sim = new AriSimulator()) {
      int simPort = sim.start(SimConfig.defaults().withCredentials("llamenos", "changeme")
          .withApp("llamenos", "llamenos-in").withRecordingsDir(dir.resolve("recordings")));
      int bridgePort = Main.freePort("127.0.0.1");
      Path env = writeEnv("""
          ARI_URL=ws://127.0.0.1:%d/ari/events
          ARI_REST_URL=http://127.0.0.1:%d/ari
          ARI_USERNAME=llamenos
          ARI_PASSWORD=changeme
          WORKER_WEBHOOK_URL=https://your-worker.example.com
          BRIDGE_SECRET=your-shared-secret-here
          BRIDGE_PORT=%d
          STASIS_APP=llamenos
          HOTLINE_NUMBER=+15551234567
          """.formatted(simPort, simPort, bridgePort));
      Process main = start("--env-file", env.toString());
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!sim.applications().contains("llamenos") && System.nanoTime() < deadline
            && main.isAlive()) {
          main.waitFor(100, TimeUnit.MILLISECONDS);
        }
        assertTrue(sim.applications().contains("llamenos"),
            "the llamenos app never connected; apps " + sim.applications() + ", main alive: "
                + main.isAlive());
        // The HTTP server binds after the ARI link starts, and /health says "ok" once the link
        // is resynced: ask until then.
        HttpResponse<String> health = null;
        while ((health == null || health.statusCode() != 200) && System.nanoTime() < deadline
            && main.isAlive()) {
          try {
            health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridgePort + "/health"))
                    .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
          } catch (java.net.ConnectException notYet) {
            // not listening yet
          }
          if (health == null || health.statusCode() != 200) {
            main.waitFor(100, TimeUnit.MILLISECONDS);
          }
        }
        assertTrue(health != null, "nothing listens on BRIDGE_PORT " + bridgePort);
        assertEquals(200, health.statusCode(), health.body());
      } finally {
        main.destroy();
        main.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void anAsteriskNeverReachedEndsTheProcessAfterArIConnectionTimeout() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path env = writeEnv("""
        export ARI_URL=ws://127.0.0.1:%d/ari/events
        ARI_USERNAME=llamenos
        ARI_PASSWORD='changeme'
        WORKER_WEBHOOK_URL=https://your-worker.example.com
        BRIDGE_SECRET="your-shared-secret-here"
        BRIDGE_PORT=%d
        ARI_CONNECTION_TIMEOUT_MS=1500
        """.formatted(closed, Main.freePort("127.0.0.1")));
    Process main = start("--env-file", env.toString());
    boolean exited = main.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      main.destroyForcibly();
    }
    assertTrue(exited, "still running 90 s after start");
    String err = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, main.exitValue(), err);
    assertTrue(err.contains("no Asterisk server connected within PT1.5S"), err);
  }

  private Path writeEnv(String text) throws IOException {
    Path env = dir.resolve(".env");
    Files.writeString(env, text);
    return env;
  }

  private Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"),
        "-Dswitchboard.webhooks.outbox.dir=" + dir.resolve("outbox"),
        "-Dswitchboard.audio.cache-dir=" + dir.resolve("audio"),
        Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
