package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.realasterisk.RealAsterisk;
import org.switchboard.http.server.PemTls;

/**
 * Switchboard started as an operator replacing the Llamenos bridge starts it: the seed README's
 * {@code .env} verbatim (only the ports point at the test's simulator and Worker), read through
 * {@link SwitchboardConfig} and {@link Main#defaultApplication}. The Stasis app {@code llamenos}
 * registers with the credentials of the file, calls reach the Worker at {@code
 * /api/telephony/incoming}, relative TwiML URLs resolve against {@code WORKER_WEBHOOK_URL}, the
 * caller's end reaches {@code /api/telephony/call-status}, a DID dialled without {@code +} routes
 * to its number's application, and every request passes the Worker's signature checks (it answers
 * 403 otherwise). The node serves HTTPS from {@code SWITCHBOARD_HTTP_TLS_*}.
 */
class LlamenosEnvEndToEndTest {
  // A deadline, not a pause: generous for a loaded 2-core machine.
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "your-shared-secret-here";

  @TempDir Path dir;
  private final AriSimulator sim = new AriSimulator();
  private LlamenosWorker worker;
  private SwitchboardNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (worker != null) {
      worker.close();
    }
    sim.close();
  }

  /** Where the Asterisk is, and how a call from the trunk reaches it. */
  private record Backend(String restUrl, String user, String password, String app,
      BiConsumer<String, String> call) {}

  @Test
  void theSeedEnvRunsCallsThroughTheWorkerWithItsSignatures() throws Exception {
    int simPort = sim.start(SimConfig.defaults()
        .withCredentials("llamenos", "changeme")
        .withApp("llamenos", "llamenos-in")
        .withRecordingsDir(dir.resolve("recordings")));
    // The simulator passes the dialled number on as the extension, as the dialplan would.
    run(new Backend("http://127.0.0.1:" + simPort + "/ari", "llamenos", "changeme", "llamenos",
        sim::inboundCall), "15550009000");
  }

  /**
   * The same on a real Asterisk 22 configured from {@code conf/}: its ARI user and Stasis app
   * ({@code switchboard}) replace the seed's, and the first call enters through the sample
   * dialplan's {@code [from-trunk]} as {@code +15550009000}, which {@code _+X.} hands on as {@code
   * 15550009000}; the second dials extension 1000 in {@code [from-internal]}.
   */
  @Test
  @Tag(RealAsterisk.TAG)
  void theSeedEnvOnARealAsterisk() throws Exception {
    RealAsterisk asterisk = RealAsterisk.shared();
    AtomicInteger calls = new AtomicInteger();
    run(new Backend(asterisk.ariUrl(), asterisk.user(), asterisk.password(), RealAsterisk.APP,
        (from, to) -> {
          String id = "llenv-" + System.nanoTime() + "-" + calls.incrementAndGet();
          String context = to.startsWith("+") ? "from-trunk" : "from-internal";
          Map<String, String> q = new LinkedHashMap<>();
          q.put("endpoint", "Local/" + to + "@" + context);
          q.put("context", "phones");
          q.put("extension", "answer");
          q.put("priority", "1");
          q.put("callerId", from);
          q.put("channelId", id + "-caller");
          q.put("otherChannelId", id + "-in");
          q.put("timeout", "30");
          RealAsterisk.Reply r = asterisk.rest("POST", "/channels", q);
          assertEquals(200, r.status(), r.body());
        }), "+15550009000");
  }

  private void run(Backend backend, String hubDid) throws Exception {
    worker = new LlamenosWorker(SECRET);
    worker.on("/api/telephony/incoming", r ->
        "<Response><Redirect method=\"POST\">"
            + "/api/telephony/language-selected?auto=1&amp;forceLang=en</Redirect></Response>");
    worker.on("/api/telephony/language-selected", r -> "<Response><Hangup/></Response>");
    int bridgePort = Main.freePort("127.0.0.1");
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        ARI_URL=%s/events
        ARI_REST_URL=%s
        ARI_USERNAME=%s
        ARI_PASSWORD=%s
        WORKER_WEBHOOK_URL=%s
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=%d
        STASIS_APP=%s
        HOTLINE_NUMBER=+15551234567
        """.formatted(backend.restUrl().replaceFirst("^http", "ws"), backend.restUrl(),
        backend.user(), backend.password(), worker.url(), bridgePort, backend.app()));
    Path cert = Path.of(getClass().getResource("/tls/cert.pem").toURI());
    Path key = Path.of(getClass().getResource("/tls/key-pkcs8.pem").toURI());
    Config loaded = SwitchboardConfig.load(Optional.of(env), Map.of(
        "SWITCHBOARD_HTTP_TLS_CERT", cert.toString(),
        "SWITCHBOARD_HTTP_TLS_KEY", key.toString()));
    // Only where the test keeps its files, and a second hub's number (in HOCON, as an operator
    // would add it), differ from what the operator's node gets.
    Config config = ConfigFactory.parseMap(Map.of(
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.audio.cache-dir", dir.resolve("audio").toString(),
            "switchboard.applications.numbers.\"+15550009000\".voice-url",
            worker.url() + "/api/telephony/incoming?hub=hub2"))
        .withFallback(loaded);
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    assertEquals(bridgePort, settings.httpPort());
    node = SwitchboardNode.start(config, settings, Main.defaultApplication(config, settings),
        List.of(), Clock.systemUTC());
    awaitLink();

    // A call to the hotline's DID as the dialplan passes it on: without the +.
    backend.call().accept("+15550001111", hubDid);
    LlamenosWorker.Request incoming = worker.await(
        r -> r.path().equals("/api/telephony/incoming") && "hub2".equals(r.query().get("hub")),
        "incoming webhook of hub2", WAIT);
    assertEquals("+15550009000", incoming.param("To"));
    assertEquals("+15550001111", incoming.param("From"));
    String callSid = incoming.param("CallSid");
    LlamenosWorker.Request selected = worker.await(
        r -> r.path().equals("/api/telephony/language-selected")
            && callSid.equals(r.param("CallSid")), "language-selected of " + callSid, WAIT);
    // &amp; decoded: both parameters arrive.
    assertEquals(Map.of("auto", "1", "forceLang", "en"), selected.query());

    // A call whose extension is not a phone number: To is HOTLINE_NUMBER; the default application is
    // the Worker's, with its status callback.
    backend.call().accept("+15550002222", "1000");
    LlamenosWorker.Request second = worker.await(
        r -> r.path().equals("/api/telephony/incoming") && "+15550002222".equals(r.param("From")),
        "incoming webhook of the second call", WAIT);
    assertEquals("+15551234567", second.param("To"));
    assertTrue(second.query().isEmpty(), second.query().toString());
    String secondSid = second.param("CallSid");
    LlamenosWorker.Request status = worker.await(
        r -> r.path().equals("/api/telephony/call-status")
            && secondSid.equals(r.param("CallSid")), "call-status of " + secondSid, WAIT);
    assertEquals("completed", status.param("CallStatus"));

    for (LlamenosWorker.Request r : worker.requests()) {
      assertTrue(r.twilioValid() && r.bridgeValid(), "signatures of " + r);
    }

    // The HTTP server speaks HTTPS with the configured certificate.
    assertEquals("https", node.publicUrl().getScheme());
    HttpResponse<String> health = HttpClient.newBuilder().sslContext(trusting(cert)).build()
        .send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + node.httpAddress().getPort() + "/health"))
            .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), health.body());
  }

  private void awaitLink() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      LinkStatus link = node.ari().links().get("asterisk-1");
      if (link != null && link.connected()) {
        return;
      }
      synchronized (this) {
        wait(50);
      }
    }
    throw new AssertionError("the llamenos app did not connect: " + node.ari().links());
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("switchboard", PemTls.certificates(cert)[0]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
