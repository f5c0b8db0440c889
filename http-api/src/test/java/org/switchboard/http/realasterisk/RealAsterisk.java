package org.switchboard.http.realasterisk;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Asterisk 22 for a test, started from the shared {@code asterisk-up} script in a fresh
 * temporary folder on free loopback ports, and stopped with {@code asterisk-down}. The script is
 * found through the system property {@code switchboard.asterisk-up}, else the environment variable
 * {@code SWITCHBOARD_ASTERISK_UP}, else {@code ../shared/asterisk/asterisk-up} relative to the
 * project root; when it is absent {@link #start} skips the test (JUnit assumption) saying so.
 *
 * <p>Extra dialplan or PJSIP configuration goes in {@code extensions_extra.conf} / {@code
 * pjsip_extra.conf} (the default files include them); see /work/shared/asterisk/README.md for the
 * default {@code [switchboard-in]} and {@code [phones]} contexts.
 */
public final class RealAsterisk implements AutoCloseable {
  /** ARI user and password of the instance. */
  public static final String USER = "asterisk";

  public static final String PASSWORD = "asterisk";

  /** The Stasis application the default dialplan sends calls to. */
  public static final String APP = "switchboard";

  private final Path script;
  private final Path root;
  private final Path dir;
  private final int httpPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private RealAsterisk(Path script, Path root, int httpPort) {
    this.script = script;
    this.root = root;
    this.dir = root.resolve("ast");
    this.httpPort = httpPort;
  }

  /** The {@code asterisk-up} script, or a path that does not exist. */
  public static Path asteriskUp() {
    String configured = System.getProperty("switchboard.asterisk-up",
        System.getenv().getOrDefault("SWITCHBOARD_ASTERISK_UP", ""));
    if (!configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return projectRoot().resolve("../shared/asterisk/asterisk-up").normalize();
  }

  /** The reactor root: the nearest folder upwards holding both pom.xml and the engine module. */
  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path at = p; at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve("pom.xml")) && Files.isDirectory(at.resolve("engine"))) {
        return at;
      }
    }
    return p;
  }

  /**
   * Starts an instance with {@code extraConf} files (name → content, placeholders such as
   * {@code @APP@} allowed) added to the default configuration; skips the test when the script is
   * absent.
   */
  public static RealAsterisk start(Map<String, String> extraConf) throws IOException, InterruptedException {
    Path script = asteriskUp();
    Assumptions.assumeTrue(Files.isExecutable(script),
        "no real Asterisk: " + script + " is absent (set -Dswitchboard.asterisk-up or "
            + "SWITCHBOARD_ASTERISK_UP to the shared asterisk-up script)");
    // Short: Asterisk's control socket path must fit 107 bytes.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sb-real-asterisk");
    Path conf = Files.createDirectories(dir.resolve("conf-extra"));
    for (Map.Entry<String, String> e : extraConf.entrySet()) {
      Files.writeString(conf.resolve(e.getKey()), e.getValue());
    }
    int http = freeTcpPort();
    int sip = freeUdpPort();
    int rtp = 20000 + 100 * ThreadLocalRandom.current().nextInt(0, 400);
    List<String> cmd = new ArrayList<>(List.of(script.toString(), "--dir", dir.resolve("ast").toString(),
        "--http-port", Integer.toString(http), "--sip-port", Integer.toString(sip),
        "--rtp-ports", rtp + "-" + (rtp + 99), "--cache-dir", dir.resolve("c").toString(),
        "--conf", conf.toString()));
    String out = run(cmd, Duration.ofSeconds(120));
    RealAsterisk asterisk = new RealAsterisk(script, dir, http);
    if (!asterisk.ariUp()) {
      asterisk.close();
      throw new IllegalStateException("Asterisk did not start: " + out);
    }
    return asterisk;
  }

  /** The ARI base URL, {@code http://127.0.0.1:PORT/ari}. */
  public String ariUrl() {
    return "http://127.0.0.1:" + httpPort + "/ari";
  }

  /** The instance folder (logs in {@code var/log/asterisk}). */
  public Path dir() {
    return dir;
  }

  /** Sends an ARI request; returns status and body. */
  public Reply ari(String method, String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(ariUrl() + pathAndQuery))
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10))
        .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  /** An ARI answer. */
  public record Reply(int status, String body) {}

  /** Runs an Asterisk CLI command on this instance; returns its output. */
  public String cli(String command) throws IOException, InterruptedException {
    return run(List.of(dir.resolve("sbin/asterisk").toString(), "-C",
        dir.resolve("etc/asterisk/asterisk.conf").toString(), "-rx", command), Duration.ofSeconds(20));
  }

  private boolean ariUp() {
    try {
      return ari("GET", "/asterisk/info").status() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the instance and deletes its folder. */
  @Override
  public void close() {
    try {
      run(List.of(script.resolveSibling("asterisk-down").toString(), "--dir", dir.toString()),
          Duration.ofSeconds(30));
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (IOException e) {
      throw new IllegalStateException("asterisk-down failed for " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd.get(0) + " did not end within " + timeout);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
