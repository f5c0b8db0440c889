package org.switchboard.http.realasterisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Asterisk 22 for tests, started with {@code asterisk-up} (see {@code
 * ../shared/asterisk/README.md}) in a temporary folder on free ports and stopped with {@code
 * asterisk-down}.
 *
 * <p>Its configuration is the project's own samples in {@code conf/} — {@code http.conf} (with
 * the port made free), {@code ari.conf} (the ARI user {@code switchboard}), {@code
 * musiconhold.conf}, {@code sorcery.conf} (PJSIP objects created over ARI), and {@code extensions.conf} added to the package's default dialplan as
 * {@code extensions_extra.conf} so that its {@code [phones]} and {@code [switchboard-in]} stay —
 * plus the files under the test resource folder {@code realasterisk/conf}. So what users copy is
 * what these tests run.
 *
 * <p>Where {@code asterisk-up} lives: system property or environment variable {@code
 * SWITCHBOARD_ASTERISK_UP}, else {@code ../shared/asterisk/asterisk-up} relative to the project
 * root. When it is absent, {@link #shared()} skips the calling test with a message saying so
 * (JUnit assumptions); when it is there but Asterisk does not start, the test fails. Test classes
 * that use it carry the tag {@value #TAG} ({@code mvn -B verify -DexcludedGroups=real-asterisk}
 * leaves them out).
 */
public final class RealAsterisk implements AutoCloseable {
  /** The JUnit tag of tests that need a real Asterisk. */
  public static final String TAG = "real-asterisk";
  /** Where {@code asterisk-up} is looked for first (system property, then environment). */
  public static final String UP_PROPERTY = "SWITCHBOARD_ASTERISK_UP";
  /** The Stasis application the samples' dialplan sends calls to. */
  public static final String APP = "switchboard";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PID = Pattern.compile("\\(pid (\\d+)");
  private static RealAsterisk shared;
  private static String unavailable;
  private static RuntimeException failed;

  private final Path up;
  private final Path dir;
  private final int httpPort;
  private final int sipPort;
  private final String user;
  private final String password;
  private final long pid;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private boolean stopped;

  private RealAsterisk(Path up, Path dir, int httpPort, int sipPort, String user, String password,
      long pid) {
    this.up = up;
    this.dir = dir;
    this.httpPort = httpPort;
    this.sipPort = sipPort;
    this.user = user;
    this.password = password;
    this.pid = pid;
  }

  /**
   * The instance shared by every test of this JVM: started on first use, stopped when the JVM
   * exits. Skips the caller (an aborted test, not a failure) when {@code asterisk-up} is absent.
   */
  public static synchronized RealAsterisk shared() {
    if (shared == null && unavailable == null) {
      Optional<Path> up = locateUp();
      if (up.isEmpty()) {
        unavailable = "no real Asterisk: asterisk-up not found (set " + UP_PROPERTY
            + " or install ../shared/asterisk next to the project); tests tagged " + TAG
            + " are skipped";
        System.err.println("RealAsterisk: " + unavailable);
      } else {
        try {
          shared = start(up.get());
        } catch (RuntimeException e) {
          failed = e;
          throw e;
        }
        RealAsterisk s = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "real-asterisk-down"));
      }
    }
    if (failed != null) {
      throw new IllegalStateException("the real Asterisk did not start: " + failed.getMessage(), failed);
    }
    Assumptions.assumeTrue(shared != null, () -> unavailable);
    return shared;
  }

  /** Starts an instance of its own (the caller closes it); fails when it cannot start. */
  public static RealAsterisk start(Path up) {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "sbast");
      Path conf = writeConfig(dir.resolve("conf"));
      int httpPort = freeTcpPort();
      int sipPort = freeUdpPort();
      int rtpStart = freeRtpRange();
      List<String> cmd = List.of(up.toString(), "--dir", dir.resolve("a").toString(),
          "--http-port", String.valueOf(httpPort), "--sip-port", String.valueOf(sipPort),
          "--rtp-ports", rtpStart + "-" + (rtpStart + 99), "--ari-user", "switchboard",
          "--ari-password", SAMPLE_PASSWORD, "--app", APP, "--conf", conf.toString(),
          "--cache-dir", dir.resolve("c").toString(), "--timeout", "120");
      AsteriskTree.seed(up, dir.resolve("a"));
      String out = run(cmd, 300);
      AsteriskTree.keep(up, dir.resolve("a"));
      Matcher m = PID.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("asterisk-up gave no pid: " + out);
      }
      System.err.println("RealAsterisk: " + out.strip());
      return new RealAsterisk(up, dir.resolve("a"), httpPort, sipPort, "switchboard",
          SAMPLE_PASSWORD, Long.parseLong(m.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The password {@code conf/ari.conf} gives the {@code switchboard} user. */
  static final String SAMPLE_PASSWORD = "change-me";

  /** {@code asterisk-up} as configured, if it exists. */
  public static Optional<Path> locateUp() {
    String configured = System.getProperty(UP_PROPERTY, System.getenv(UP_PROPERTY));
    Path up = configured != null && !configured.isBlank() ? Path.of(configured)
        : projectRoot().resolve("../shared/asterisk/asterisk-up").normalize();
    return Files.isExecutable(up) ? Optional.of(up) : Optional.empty();
  }

  /** The project root: the nearest folder up from the working directory holding {@code conf/}. */
  public static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("conf/ari.conf")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("project root (with conf/ari.conf) not found above "
        + Path.of("").toAbsolutePath());
  }

  /** The configuration folder passed with {@code --conf}: the samples, then the test files. */
  static Path writeConfig(Path conf) throws IOException {
    Files.createDirectories(conf);
    Path samples = projectRoot().resolve("conf");
    String httpConf = Files.readString(samples.resolve("http.conf"));
    String portable = httpConf.replaceFirst("(?m)^bindport\\s*=\\s*\\d+", "bindport = @HTTP_PORT@");
    if (portable.equals(httpConf)) {
      throw new IllegalStateException("conf/http.conf has no 'bindport = N' line to point at a free port");
    }
    Files.writeString(conf.resolve("http.conf"), portable);
    Files.copy(samples.resolve("ari.conf"), conf.resolve("ari.conf"));
    Files.copy(samples.resolve("musiconhold.conf"), conf.resolve("musiconhold.conf"));
    Files.copy(samples.resolve("sorcery.conf"), conf.resolve("sorcery.conf"));
    StringBuilder extra = new StringBuilder(Files.readString(samples.resolve("extensions.conf")));
    Path own = testResource("realasterisk/conf");
    try (Stream<Path> files = Files.list(own)) {
      for (Path f : files.sorted().toList()) {
        if (f.getFileName().toString().equals("extensions_extra.conf")) {
          extra.append('\n').append(Files.readString(f));
        } else {
          Files.copy(f, conf.resolve(f.getFileName()));
        }
      }
    }
    Files.writeString(conf.resolve("extensions_extra.conf"), extra);
    return conf;
  }

  private static Path testResource(String name) {
    try {
      return Path.of(RealAsterisk.class.getClassLoader().getResource(name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("test resource " + name + " missing", e);
    }
  }

  /** {@code http://127.0.0.1:P/ari}. */
  public String ariUrl() {
    return "http://127.0.0.1:" + httpPort + "/ari";
  }

  public int httpPort() {
    return httpPort;
  }

  public int sipPort() {
    return sipPort;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The Asterisk process id (for {@code /proc/<pid>/stat}). */
  public long pid() {
    return pid;
  }

  /** The instance folder ({@code var/log/asterisk/messages.log} is there). */
  public Path dir() {
    return dir;
  }

  /**
   * An inbound call as the package's README places one: a Local channel into {@code
   * switchboard-in} whose {@code ;2} half ({@code <id>-in}) enters Stasis with {@code
   * ["inbound", to]}, while the {@code ;1} half ({@code <id>-caller}, with caller id {@code from})
   * runs {@code callerExtension} of {@code [phones]} once answered ({@code answer}, {@code
   * dtmf-<digits>}, {@code hangup-after-<N>}, …; {@code exten@context} for another context).
   *
   * @return the id of the Stasis half
   */
  public String inboundCall(String id, String from, String to, String callerExtension) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("endpoint", "Local/" + to + "@switchboard-in");
    int at = callerExtension.indexOf('@');
    q.put("context", at < 0 ? "phones" : callerExtension.substring(at + 1));
    q.put("extension", at < 0 ? callerExtension : callerExtension.substring(0, at));
    q.put("priority", "1");
    q.put("callerId", from);
    q.put("channelId", id + "-caller");
    q.put("otherChannelId", id + "-in");
    q.put("timeout", "30");
    Reply r = rest("POST", "/channels", q);
    if (r.status() != 200) {
      throw new IllegalStateException("originate " + id + " answered " + r.status() + " " + r.body());
    }
    return id + "-in";
  }

  /** A REST request with query parameters; the reply's status and body. */
  public Reply rest(String method, String path, Map<String, String> query) {
    StringBuilder uri = new StringBuilder(ariUrl()).append(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      uri.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(uri.toString()))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(15))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The ids of the live channels ({@code GET /channels}). */
  public List<String> channelIds() {
    return ids("/channels");
  }

  /** The ids of the bridges ({@code GET /bridges}). */
  public List<String> bridgeIds() {
    return ids("/bridges");
  }

  private List<String> ids(String path) {
    List<String> out = new ArrayList<>();
    rest("GET", path, Map.of()).json().forEach(n -> out.add(n.path("id").asText()));
    return out;
  }

  /** A CLI command ({@code asterisk -rx}), e.g. {@code core show channels}. */
  public String cli(String command) {
    return run(List.of(dir.resolve("sbin/asterisk").toString(), "-C",
        dir.resolve("etc/asterisk/asterisk.conf").toString(), "-rx", command), 30);
  }

  /** Stops the instance ({@code asterisk-down}); idempotent. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    Path down = up.resolveSibling("asterisk-down");
    run(List.of(down.toString(), "--dir", dir.toString()), 60);
  }

  /** A REST reply. */
  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      Path log = Files.createTempFile("sbast", ".log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd.get(0) + " did not finish in " + timeoutSeconds + " s");
      }
      String out = Files.readString(log);
      Files.deleteIfExists(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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

  /** The first port of 100 consecutive UDP ports that are free now. */
  private static int freeRtpRange() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int start = 20000 + 100 * ThreadLocalRandom.current().nextInt(300);
      if (udpRangeFree(start, 100)) {
        return start;
      }
    }
    throw new IllegalStateException("no free block of 100 UDP ports for RTP");
  }

  private static boolean udpRangeFree(int start, int count) {
    for (int port = start; port < start + count; port++) {
      try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
        // bindable
      } catch (SocketException e) {
        return false;
      }
    }
    return true;
  }
}
