package org.switchboard.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.config.SwitchboardSettings;

/**
 * The server's limits over real loopback sockets: clients dripping their request head or body are
 * closed at the deadline while {@code /health} keeps answering, one address cannot hold more than
 * its share of connections, and honest slow responses are not cut.
 */
class GuardedServerTest extends AllDirectives {
  /** Connections the server accepts at once in these tests (Pekko's default is 1024). */
  private static final int MAX_CONNECTIONS = 16;
  private static final InetAddress TRUSTED = loopback("127.0.0.1");
  private static final InetAddress OTHER = loopback("127.0.0.2");

  private static ActorSystem system;
  private static ScheduledExecutorService drips;
  private final List<Socket> sockets = new ArrayList<>();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final CompletableFuture<ByteString> streamTail = new CompletableFuture<>();
  private ServerBinding binding;
  private InetSocketAddress target;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("guarded-server-test", ConfigFactory.parseString(
        "pekko.http.server.max-connections = " + MAX_CONNECTIONS)
        .withFallback(ConfigFactory.load()));
    drips = Executors.newScheduledThreadPool(2);
  }

  @AfterAll
  static void stop() {
    drips.shutdownNow();
    system.terminate();
  }

  @AfterEach
  void close() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientsDrippingTheirHeadersAreClosedAtTheDeadlineAndHealthAnswers() throws Exception {
    bind(limits(Duration.ofSeconds(1), Duration.ofSeconds(30), 1000, "127.0.0.0/8"));
    assertHealthAnswersWhileClientsDrip("ok");
    assertTrue(refused("header-timeout") >= MAX_CONNECTIONS + 4, "counted: " + metrics.scrape());
  }

  @Test
  void aNodeServesHealthWhileClientsDrip(@TempDir Path dir) throws Exception {
    Config config = ConfigFactory.parseMap(Map.of(
            "switchboard.http.request-header-timeout", "1s",
            "pekko.http.server.max-connections", Integer.toString(MAX_CONNECTIONS),
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.audio.cache-dir", dir.resolve("audio").toString()))
        .withFallback(ConfigFactory.load());
    VoiceApplication app = new VoiceApplication(URI.create("http://127.0.0.1:9/voice"),
        Method.POST, Optional.empty(), Method.POST, Optional.empty(), Method.POST, Set.of());
    // No Asterisk answers there: /health says "down" (503), which is still an answer.
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config)
        .withHttpPort(Main.freePort("127.0.0.1"))
        .withAsterisk(List.of(AriServerConfig.basic(
            "none", "http://127.0.0.1:9/ari", "switchboard", "asterisk", "asterisk")), app);
    try (SwitchboardNode node =
        SwitchboardNode.start(config, settings, app, List.of(), Clock.systemUTC())) {
      target = node.httpAddress();
      assertHealthAnswersWhileClientsDrip("\"status\"");
    }
  }

  /** Fills every connection slot with drippers; /health answers and each dripper is closed. */
  private void assertHealthAnswersWhileClientsDrip(String healthBody) throws Exception {
    int drippers = MAX_CONNECTIONS + 4;
    List<Socket> dripping = new ArrayList<>();
    for (int i = 0; i < drippers; i++) {
      Socket s = connect(TRUSTED);
      write(s, "GET /health HTTP/1.1\r\nHost: switchboard\r\nX-Slow: ");
      dripping.add(s);
    }
    for (Socket s : dripping) {
      drips.scheduleWithFixedDelay(() -> write(s, "a"), 200, 200, TimeUnit.MILLISECONDS);
    }
    long start = System.nanoTime();
    String health = get(TRUSTED, "/health");
    assertTrue(health.startsWith("HTTP/1.1 ") && health.contains(healthBody),
        "/health while " + drippers + " drip: " + health);
    for (Socket s : dripping) {
      assertClosed(s, Duration.ofSeconds(20));
    }
    assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos(),
        "closed at the deadline, not before");
  }

  @Test
  void oneAddressCannotHoldMoreThanItsCapButTrustedAddressesCan() throws Exception {
    bind(limits(Duration.ofSeconds(60), Duration.ofSeconds(60), 3, "127.0.0.1/32"));
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(connect(OTHER));
    }
    Socket fourth = connect(OTHER);
    assertClosed(fourth, Duration.ofSeconds(10));
    for (int i = 0; i < 6; i++) {
      connect(TRUSTED);
    }
    assertEquals(200, status(get(TRUSTED, "/health")), "trusted addresses are not capped");
    held.get(0).close();
    awaitServed(OTHER, Duration.ofSeconds(10));
    assertTrue(refused("per-address") >= 1, metrics.scrape());
  }

  @Test
  void aClientDrippingItsBodyIsClosedAtTheBodyDeadline() throws Exception {
    bind(limits(Duration.ofSeconds(60), Duration.ofSeconds(1), 1000, "127.0.0.0/8"));
    Socket s = connect(TRUSTED);
    write(s, "POST /upload HTTP/1.1\r\nHost: switchboard\r\nContent-Type: text/plain\r\n"
        + "Content-Length: 1000\r\n\r\nfirst bytes");
    drips.scheduleWithFixedDelay(() -> write(s, "a"), 200, 200, TimeUnit.MILLISECONDS);
    assertClosed(s, Duration.ofSeconds(15));
    assertTrue(refused("body-timeout") >= 1, metrics.scrape());
  }

  @Test
  void keptAliveRequestsAndResponsesStreamingPastTheHeaderDeadlineAreServed() throws Exception {
    bind(limits(Duration.ofSeconds(1), Duration.ofSeconds(30), 1000, "127.0.0.0/8"));
    Socket s = connect(TRUSTED);
    s.setSoTimeout(20_000);
    write(s, "GET /stream HTTP/1.1\r\nHost: switchboard\r\n\r\n");
    String head = readUntil(s.getInputStream(), "first,");
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    Socket idle = connect(TRUSTED);
    assertClosed(idle, Duration.ofSeconds(20));
    streamTail.complete(ByteString.fromString("last"));
    readUntil(s.getInputStream(), "last");
    write(s, "GET /health HTTP/1.1\r\nHost: switchboard\r\nConnection: close\r\n\r\n");
    String second = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertEquals(200, status(second.substring(second.indexOf("HTTP/1.1"))), second);
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.US_ASCII).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before '" + marker + "': " + seen);
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.US_ASCII);
  }

  private static InetAddress loopback(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void bind(ServerLimits limits) throws Exception {
    Route route = concat(
        path("health", () -> complete("ok")),
        path("upload", () -> post(() -> extractStrictEntity(Duration.ofSeconds(60), 1 << 20,
            entity -> complete("got " + entity.getData().length())))),
        path("stream", () -> complete(HttpResponse.create().withEntity(HttpEntities.createChunked(
            ContentTypes.TEXT_PLAIN_UTF8,
            Source.single(ByteString.fromString("first,"))
                .concat(Source.completionStage(streamTail)))))));
    binding = GuardedServer.bind(system, "127.0.0.1", 0, route, limits, metrics)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    target = binding.localAddress();
  }

  private static ServerLimits limits(Duration header, Duration body, int perAddress,
      String trusted) {
    return new ServerLimits(header, body, perAddress, AddressRanges.parse(List.of(trusted)));
  }

  private double refused(String reason) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "switchboard_http_connections_refused_total\\{reason=\"" + reason + "\"} (\\S+)")
        .matcher(metrics.scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private Socket connect(InetAddress from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(target, 5000);
    return s;
  }

  private static void write(Socket s, String text) {
    try {
      s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    } catch (IOException e) {
      throw new IllegalStateException("closed", e);
    }
  }

  /** A whole response to a GET with Connection: close, read until the server closes. */
  private String get(InetAddress from, String path) throws IOException {
    Socket s = connect(from);
    s.setSoTimeout(20_000);
    write(s, "GET " + path + " HTTP/1.1\r\nHost: switchboard\r\nConnection: close\r\n\r\n");
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }

  private static int status(String response) {
    return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
  }

  /** The server closes {@code s} within {@code within}: end of stream or a reset. */
  private static void assertClosed(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    InputStream in = s.getInputStream();
    try {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        seen.write(b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + within, e);
    } catch (IOException reset) {
      // closed with a reset
    }
  }

  private void awaitServed(InetAddress from, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (status(get(from, "/health")) == 200) {
          return;
        }
      } catch (IOException refusedAgain) {
        // the closed connection's slot is freed asynchronously
      }
    }
    throw new AssertionError(from + " was not served again within " + within);
  }
}
