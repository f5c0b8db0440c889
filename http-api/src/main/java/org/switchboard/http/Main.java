package org.switchboard.http;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.http.config.LlamenosSettings;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.dashboard.DashboardSettings;
import org.switchboard.http.demo.Demo;

/**
 * Runs Switchboard. With Asterisk servers configured ({@code SWITCHBOARD_ARI_URL} or {@code
 * switchboard.ari.servers}) it serves them until stopped. Without, it runs the built-in demo: the
 * ARI simulator, the sample hotline application and a few simulated callers whose timelines it
 * prints; {@code --once} exits when they are done.
 *
 * <p>Flags: {@code --once}, {@code --calls N} (demo callers), {@code --port P} (HTTP port),
 * {@code --env-file FILE} (variables such as the Llamenos bridge's {@code .env}; {@code ./.env}
 * is read when it exists and no file is named — {@link SwitchboardConfig}).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    // Before anything touches the common pool: with fewer than 2 workers (a 2-core machine)
    // CompletableFuture runs every async stage on a new thread.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "4");
    }
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("switchboard: cannot start: " + reason(e));
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    boolean once = false;
    Integer calls = null;
    Integer port = null;
    Optional<Path> envFile = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> once = true;
        case "--calls" -> calls = Integer.parseInt(value(args, ++i, "--calls"));
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--env-file" ->
            envFile = Optional.of(Path.of(value(args, ++i, "--env-file")));
        case "-h", "--help" -> {
          System.out.println(
              "usage: scripts/run [--once] [--calls N] [--port P] [--env-file FILE]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Config config = SwitchboardConfig.load(envFile);
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    if (port != null) {
      settings = settings.withHttpPort(port);
    }
    if (settings.httpPort() == 0) {
      settings = settings.withHttpPort(freePort(settings.httpHost()));
    }
    requireFreePort(settings.httpHost(), settings.httpPort());
    if (settings.ariServers().isEmpty()) {
      int exit = Demo.run(DashboardSettings.openOnLoopback(config), settings, calls, once);
      if (once) {
        System.exit(exit);
      }
      return;
    }
    SwitchboardNode node = SwitchboardNode.start(
        config, settings, defaultApplication(config, settings), List.of(), Clock.systemUTC());
    AriStartDeadline.watch(node, config.getDuration("switchboard.ari.connection-timeout"));
    System.exit(serveUntilTerminated(node));
  }

  /**
   * The application of numbers without their own: {@code switchboard.applications.default}, else
   * the Llamenos Worker's {@code /api/telephony/incoming} when {@code WORKER_WEBHOOK_URL} is set.
   *
   * @throws IllegalArgumentException when there is neither
   */
  public static VoiceApplication defaultApplication(Config config, SwitchboardSettings settings) {
    return settings
        .defaultApplication()
        .or(() -> LlamenosSettings.fromConfig(config).defaultApplication())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no application: set SWITCHBOARD_VOICE_URL,"
                        + " switchboard.applications.default.voice-url or WORKER_WEBHOOK_URL"));
  }

  /**
   * Serves until SIGTERM, which drains the node ({@link SwitchboardNode#drain()}: in a cluster it
   * then leaves, handing its ARI links and shards to the others) and exits 0. Other ways out
   * (SIGINT, an exit elsewhere) still drain, through Pekko's shutdown hook. A node the cluster
   * downs (the split-brain resolver) runs its coordinated shutdown and exits 1 ({@link
   * #exitStatus}).
   */
  private static int serveUntilTerminated(SwitchboardNode node) {
    StopSignals.handle(signal -> {
      System.err.println("SIGTERM: draining");
      node.drain();
    }, "TERM");
    // After the handler: a supervisor (or a test) that waits for this line may send SIGTERM.
    URI url = localUrl(node.settings());
    System.out.println("Switchboard ready on " + url + " (metrics: " + url + "/metrics, health: "
        + url + "/health); SIGTERM drains and stops");
    System.out.flush();
    node.system().getWhenTerminated().toCompletableFuture().join();
    int status = exitStatus(CoordinatedShutdown.get(node.system()).getShutdownReason());
    node.close();
    System.err.println("Switchboard stopped" + (status == 0 ? "" : " (status " + status + ")"));
    return status;
  }

  /**
   * 0 when the node stopped because it was told to (SIGTERM's drain, a JVM exit, a cluster leave);
   * 1 when the cluster downed or removed it, or it could not join: its supervisor restarts it
   * ({@code Restart=on-failure}) and it joins again as a new node.
   */
  static int exitStatus(Optional<CoordinatedShutdown.Reason> reason) {
    return reason.map(r -> r == NodeDrain.Reason.DRAIN
            || r == CoordinatedShutdown.jvmExitReason()
            || r == CoordinatedShutdown.clusterLeavingReason())
        .orElse(true) ? 0 : 1;
  }

  /** A free TCP port on {@code host}, for "port 0" settings that must be known before binding. */
  public static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + host, e);
    }
  }

  /**
   * Fails at once when {@code host:port} cannot be bound, before the demo's simulator or the node
   * start threads that would keep the JVM alive after the bind failure.
   */
  static void requireFreePort(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, port));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); is another"
              + " process using port " + port + "? Choose another with --port or"
              + " SWITCHBOARD_HTTP_PORT");
    }
  }

  /** The innermost message of a startup failure, on one line. */
  static String reason(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause == error || error.getMessage() == null
        ? String.valueOf(cause.getMessage())
        : error.getMessage().contains(String.valueOf(cause.getMessage()))
            ? error.getMessage()
            : error.getMessage() + ": " + cause.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  /** The node's own URL for a settings object whose port is known. */
  static URI localUrl(SwitchboardSettings settings) {
    return URI.create("http://" + settings.httpHost() + ":" + settings.httpPort());
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
