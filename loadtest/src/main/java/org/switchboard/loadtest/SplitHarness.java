package org.switchboard.loadtest;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.switchboard.http.Main;

/**
 * Three processes on loopback: the ARI simulator ({@link SimProcessMain}) and a Switchboard node
 * ({@link Main}) each in its own JVM, started from this JVM's classpath, and the test application
 * served here. The node's output goes to {@code node.log} in the run's work directory.
 */
final class SplitHarness implements Harness {
  private final Process simProcess;
  private final Process nodeProcess;
  private final HttpSim sim;
  private final ActorSystem<Void> appSystem;
  private final ServerBinding appBinding;
  private final Ringer ringer;
  private final Path work;
  private final String nodeUrl;
  private final WebhookTaps webhooks = new WebhookTaps();

  SplitHarness(Profile profile) throws Exception {
    work = Files.createTempDirectory("switchboard-loadtest-split");
    simProcess = java(SimProcessMain.class.getName(), List.of(), Map.of(),
        ProcessBuilder.Redirect.INHERIT);
    String[] ports = readPorts(simProcess);
    sim = new HttpSim(Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
    appSystem = ActorSystem.create(Behaviors.empty(), "loadtest-app");
    int appPort = Main.freePort("127.0.0.1");
    String appBase = "http://127.0.0.1:" + appPort;
    TestApp app = new TestApp(profile, appBase, webhooks);
    appBinding = Http.get(appSystem).newServerAt("127.0.0.1", appPort).bind(app.route())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    int nodePort = Main.freePort("127.0.0.1");
    nodeUrl = "http://127.0.0.1:" + nodePort;
    Path conf = work.resolve("node.conf");
    Files.writeString(conf, nodeConf(nodeUrl, nodePort, app));
    List<String> nodeProps = new ArrayList<>(
        childJvmOptions(System.getProperty("loadtest.node-jvm-options", "")));
    nodeProps.add("-Dconfig.file=" + conf);
    nodeProcess = java(Main.class.getName(), nodeProps, Map.of(),
        ProcessBuilder.Redirect.appendTo(work.resolve("node.log").toFile()));
    ringer = new Ringer(URI.create(nodeUrl), appBase + "/lt/volunteer");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!sim.hasApplication("switchboard") || !healthy(nodeUrl)) {
      if (!nodeProcess.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the Switchboard node did not connect to the simulator;"
            + " see " + work.resolve("node.log"));
      }
      Thread.sleep(100);
    }
    System.err.println("loadtest: split processes up (node log: " + work.resolve("node.log") + ")");
  }

  /**
   * True once the node's {@code /health} says its ARI link is up: the link's resync snapshot is
   * taken then, so calls placed from now on are not in it (a call in the snapshot whose caller
   * half no Switchboard call owns would be "cleaned up").
   */
  private static boolean healthy(String nodeUrl) {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(URI.create(nodeUrl + "/health"))
              .timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"status\":\"ok\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The node's configuration file: one simulator, the test application, the load overrides. */
  private String nodeConf(String nodeUrl, int nodePort, TestApp app) {
    StringBuilder c = new StringBuilder();
    Harness.nodeOverrides(work).forEach((k, v) -> c.append(k).append(" = ")
        .append(v instanceof String ? quote((String) v) : v).append('\n'));
    c.append("switchboard.http.host = \"127.0.0.1\"\n");
    c.append("switchboard.http.port = ").append(nodePort).append('\n');
    c.append("switchboard.http.public-url = ").append(quote(nodeUrl)).append('\n');
    c.append("switchboard.ari.url = \"\"\n");
    c.append("switchboard.ari.servers = [{ id = sim, base-url = ").append(quote(sim.ariUrl()))
        .append(", app = switchboard, user = asterisk, password = asterisk, max-connections = ")
        .append(Harness.ARI_CONNECTIONS).append(", rest-transport = ")
        .append(quote(ConfigFactory.load().getString("switchboard.ari.rest-transport")))
        .append(" }]\n");
    c.append("switchboard.applications.default { voice-url = ").append(quote(app.voiceUrl()))
        .append(", status-callback = ").append(quote(app.statusUrl()))
        .append(", status-callback-events = [completed] }\n");
    return c.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Process java(String main, List<String> props, Map<String, String> env,
      ProcessBuilder.Redirect out) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + System.getProperty("loadtest.child-heap", "2g"));
    String parallelism = System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism");
    if (parallelism != null) {
      cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + parallelism);
    }
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      cmd.add("-Dlogback.configurationFile=" + logback);
    }
    cmd.addAll(childJvmOptions(System.getProperty("loadtest.child-jvm-options", "")));
    cmd.addAll(props);
    // Node settings given to the load generator (-Dswitchboard.overload.enabled=false …) reach
    // the node too, as they would in one process.
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("switchboard."))
        .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (out != ProcessBuilder.Redirect.INHERIT) {
      pb.redirectOutput(out).redirectError(out);
    }
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * The JVM options {@code -Dloadtest.child-jvm-options} gives both children (separated by
   * whitespace; {@code scripts/loadtest} passes {@code LOADTEST_CHILD_JAVA_OPTS} there): a
   * collector, {@code -XX:+UseParallelGC}. They come after the
   * defaults, so they win over them. {@code -Dloadtest.node-jvm-options} (the same form, {@code
   * LOADTEST_NODE_JAVA_OPTS}) go to the node alone, after those: a Pekko setting to try on the
   * node, for instance.
   */
  static List<String> childJvmOptions(String spec) {
    String trimmed = spec.strip();
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
  }

  private static String[] readPorts(Process p) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // A starved JVM may log (Pekko's "Logger … did not respond") before it prints its ports.
    String line = r.readLine();
    while (line != null && !line.startsWith("ports ")) {
      System.err.println("loadtest: simulator: " + line);
      line = r.readLine();
    }
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the simulator process ended without telling its ports");
    }
    return line.split(" ");
  }

  @Override
  public SimControl sim() {
    return sim;
  }

  @Override
  public WebhookTaps webhooks() {
    return webhooks;
  }

  @Override
  public String nodeUrl() {
    return nodeUrl;
  }

  @Override
  public void ring(LoadCall call) {
    ringer.ring(call);
  }

  @Override
  public long ringFailures() {
    return ringer.failures();
  }

  /** The node's process alone ({@code jcmd PID GC.class_histogram}). */
  @Override
  public HeapHistogram nodeHeap() {
    return HeapHistogram.ofProcess(nodeProcess.pid());
  }

  @Override
  public void dumpNodeHeap(Path file) {
    HeapHistogram.dumpProcess(nodeProcess.pid(), file);
  }

  @Override
  public double childCpuSeconds() {
    return cpu(simProcess) + cpu(nodeProcess);
  }

  @Override
  public Map<String, Double> childCpuByPart() {
    Map<String, Double> parts = new java.util.LinkedHashMap<>();
    parts.put("node", cpu(nodeProcess));
    parts.put("simulator", cpu(simProcess));
    return parts;
  }

  @Override
  public java.util.OptionalLong nodePid() {
    return java.util.OptionalLong.of(nodeProcess.pid());
  }

  private static double cpu(Process p) {
    return p == null ? 0 : p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  @Override
  public void close() {
    stop(nodeProcess);
    appBinding.unbind();
    appSystem.terminate();
    stop(simProcess);
  }

  private static void stop(Process p) {
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
