package org.switchboard.http.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.switchboard.http.Main;

/**
 * One Switchboard node as its own JVM process ({@link Main}, as {@code scripts/run} starts it):
 * its own HTTP port and Pekko remoting port, the cluster's seed nodes and Asterisk servers from a
 * configuration file ({@code -Dconfig.file}). Its output is kept for the failure message.
 */
final class ClusterNodeProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** An Asterisk server every node is configured with. */
  record Server(String id, int port) {}

  private final String name;
  private final int httpPort;
  private final int remotingPort;
  private final Process process;
  private final List<String> output = new ArrayList<>();

  private ClusterNodeProcess(String name, int httpPort, int remotingPort, Process process) {
    this.name = name;
    this.httpPort = httpPort;
    this.remotingPort = remotingPort;
    this.process = process;
    Thread reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** A free loopback port for Pekko remoting (TCP). */
  static int freePort() {
    return Main.freePort("127.0.0.1");
  }

  /** The cluster address of a node with remoting port {@code port}. */
  static String address(int port) {
    return "pekko://switchboard@127.0.0.1:" + port;
  }

  /**
   * Starts node {@code name} on {@code remotingPort} with {@code seeds} (remoting ports), every
   * server in {@code servers}, the application at {@code voiceUrl} and {@code authToken}.
   */
  static ClusterNodeProcess start(String name, Path dir, int remotingPort, List<Integer> seeds,
      List<Server> servers, URI voiceUrl, String authToken) throws IOException {
    return start(name, dir, remotingPort, seeds, servers, voiceUrl, authToken, Optional.empty());
  }

  /**
   * As {@link #start(String, Path, int, List, List, URI, String)}, with the durable call state and
   * history in the PostgreSQL database {@code postgresUrl} (user {@code switchboard}, shared by
   * the cluster's nodes); without it the node keeps both in memory.
   */
  static ClusterNodeProcess start(String name, Path dir, int remotingPort, List<Integer> seeds,
      List<Server> servers, URI voiceUrl, String authToken, Optional<String> postgresUrl)
      throws IOException {
    int httpPort = Main.freePort("127.0.0.1");
    Path home = Files.createDirectories(dir.resolve(name));
    StringBuilder conf = new StringBuilder();
    conf.append("pekko.remote.artery.canonical.port = ").append(remotingPort).append('\n');
    conf.append("pekko.cluster.seed-nodes = [")
        .append(String.join(", ", seeds.stream().map(p -> "\"" + address(p) + "\"").toList()))
        .append("]\n");
    conf.append("switchboard.auth-token = \"").append(authToken).append("\"\n");
    conf.append("switchboard.http.port = ").append(httpPort).append('\n');
    conf.append("switchboard.applications.default.voice-url = \"").append(voiceUrl).append("\"\n");
    conf.append("switchboard.applications.default.status-callback = \"")
        .append(voiceUrl.resolve("/status")).append("\"\n");
    conf.append("switchboard.applications.default.status-callback-events"
        + " = [initiated, ringing, answered, completed]\n");
    conf.append("switchboard.webhooks.outbox.dir = \"").append(home.resolve("outbox")).append("\"\n");
    conf.append("switchboard.audio.cache-dir = \"").append(home.resolve("audio")).append("\"\n");
    conf.append("switchboard.drain.deadline = 5s\n");
    // Three JVMs, a PostgreSQL and the simulators on two shared cores: ARI round trips of a
    // second are the machine's, not an overload of the node; no call of the test may be shed.
    conf.append("switchboard.overload.enabled = false\n");
    // Never the default H2 file under the working directory, which one JVM locks.
    if (postgresUrl.isPresent()) {
      conf.append("switchboard.store.kind = postgres\n");
      conf.append("switchboard.store.url = \"").append(postgresUrl.get()).append("\"\n");
    } else {
      conf.append("switchboard.store.kind = memory\n");
    }
    conf.append("switchboard.ari.servers = [\n");
    for (Server s : servers) {
      conf.append("  { id = \"").append(s.id()).append("\", base-url = \"http://127.0.0.1:")
          .append(s.port()).append("/ari\", app = \"switchboard\", user = \"asterisk\",")
          .append(" password = \"asterisk\" }\n");
    }
    conf.append("]\n");
    Path file = home.resolve("node.conf");
    Files.writeString(file, conf.toString());
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dconfig.file=" + file, "-cp", System.getProperty("java.class.path"),
        Main.class.getName())
        .redirectErrorStream(true)
        .start();
    return new ClusterNodeProcess(name, httpPort, remotingPort, process);
  }

  String name() {
    return name;
  }

  /** This node's cluster address. */
  String address() {
    return address(remotingPort);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** {@code GET /health}, or empty while the node does not answer. */
  Optional<JsonNode> health() {
    return getJson(url("/health"));
  }

  Optional<JsonNode> getJson(URI url) {
    try {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The role this node has for {@code serverId} ({@code owner}, {@code standby}, …), per /health. */
  Optional<String> role(String serverId) {
    return link(serverId).map(l -> l.path("role").asText());
  }

  /** The /health entry of {@code serverId}. */
  Optional<JsonNode> link(String serverId) {
    return health().flatMap(h -> {
      for (JsonNode link : h.path("asterisk")) {
        if (link.path("serverId").asText().equals(serverId)) {
          return Optional.of(link);
        }
      }
      return Optional.empty();
    });
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** kill -TERM (Process.destroy would also close the output pipe). */
  void terminate() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
  }

  /** The exit status, once the process ended within {@code timeout}. */
  Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Optional.of(process.exitValue()) : Optional.empty();
  }

  /** The lines of the node's output that contain {@code text}. */
  List<String> linesWith(String text) {
    synchronized (output) {
      return output.stream().filter(l -> l.contains(text)).toList();
    }
  }

  /** How many lines the node has written. */
  int lineCount() {
    synchronized (output) {
      return output.size();
    }
  }

  /** The lines of the node's output from line {@code from} on that contain {@code text}. */
  List<String> linesWith(String text, int from) {
    synchronized (output) {
      return output.subList(Math.min(from, output.size()), output.size()).stream()
          .filter(l -> l.contains(text)).toList();
    }
  }

  /** The last {@code n} lines of the node's output. */
  String tail(int n) {
    synchronized (output) {
      return name + ":\n  " + String.join("\n  ",
          output.subList(Math.max(0, output.size() - n), output.size()));
    }
  }

  /** Polls {@code condition} (every 50 ms) until it holds, failing after {@code timeout}. */
  static void awaitTrue(java.util.function.Supplier<Boolean> condition, String description,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object monitor = new Object();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      try {
        synchronized (monitor) {
          monitor.wait(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    throw new AssertionError("timed out waiting for: " + description);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (output) {
          output.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
