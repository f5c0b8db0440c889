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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;
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

  @Test
  void theSeedEnvRunsCallsThroughTheWorkerWithItsSignatures() throws Exception {
    int simPort = sim.start(SimConfig.defaults()
        .withCredentials("llamenos", "changeme")
        .withApp("llamenos", "llamenos-in")
        .withRecordingsDir(dir.resolve("recordings")));
    worker = new LlamenosWorker(SECRET);
    worker.on("/api/telephony/incoming", r ->
        "<Response><Redirect method=\"POST\">"
            + "/api/telephony/language-selected?auto=1&amp;forceLang=en</Redirect></Response>");
    worker.on("/api/telephony/language-selected", r -> "<Response><Hangup/></Response>");
    int bridgePort = Main.freePort("127.0.0.1");
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        ARI_URL=ws://127.0.0.1:%d/ari/events
        ARI_REST_URL=http://127.0.0.1:%d/ari
        ARI_USERNAME=llamenos
        ARI_PASSWORD=changeme
        WORKER_WEBHOOK_URL=%s
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=%d
        STASIS_APP=llamenos
        HOTLINE_NUMBER=+15551234567
        """.formatted(simPort, simPort, worker.url(), bridgePort));
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

    // A call to the hotline's DID as conf/extensions.conf passes it on: without the +.
    String hub2Call = sim.inboundCall("+15550001111", "15550009000");
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

    // A call whose extension is not a number: To is HOTLINE_NUMBER; the default application is
    // the Worker's, with its status callback.
    sim.inboundCall("+15550002222", "s");
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
    assertTrue(hub2Call != null);

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
