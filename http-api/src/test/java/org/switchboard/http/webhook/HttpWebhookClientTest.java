package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.client.OwnLatency;
import org.switchboard.engine.port.WebhookPort.WebhookException;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.port.WebhookPort.WebhookResponse;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.signature.BridgeSignatureVerifier;
import org.switchboard.http.signature.BridgeVerification;

class HttpWebhookClientTest {
  static final String TOKEN = "test-auth-token";
  private static final ActorTestKit KIT = TestApp.testKit("webhook-client");
  private static final String TWIML = "<Response><Say>hi</Say></Response>";

  @TempDir Path outboxDir;
  private TestApp app;
  private HttpWebhookClient client;
  private WebhookMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    app = TestApp.start(KIT.system(), r -> TestApp.twiml(TWIML));
    metrics = new WebhookMetrics();
    client = HttpWebhookClient.start(KIT.system(),
        WebhookSettings.defaults(TOKEN, outboxDir), java.time.Clock.systemUTC(), metrics);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    app.close();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  static List<Map.Entry<String, String>> params(String... kv) {
    List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      list.add(new SimpleEntry<>(kv[i], kv[i + 1]));
    }
    return list;
  }

  private WebhookResponse fetch(String url, Method method, String callSid,
      List<Map.Entry<String, String>> params) throws Exception {
    return client.fetch(new WebhookRequest(URI.create(url), method, params, callSid, "voice"))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private WebhookException fetchFails(String url) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> fetch(url, Method.POST,
        "CA1", params("CallSid", "CA1")));
    return assertInstanceOf(WebhookException.class, e.getCause());
  }

  @Test
  void postIsFormEncodedInOrderAndSigned() throws Exception {
    List<Map.Entry<String, String>> sent = params("CallSid", "CA1", "From", "+14155550100",
        "SpeechResult", "fish & chips = 2+2", "Caller", "Zoë 🎉 漢字", "Empty", "");
    WebhookResponse response =
        fetch(app.url("/voice?x=1&y=a%20b"), Method.POST, "CA1", sent);

    TestApp.Received r = app.next();
    assertEquals("POST", r.method());
    assertEquals(app.url("/voice?x=1&y=a%20b"), r.url());
    assertTrue(r.contentType().startsWith("application/x-www-form-urlencoded"));
    assertEquals(sent, r.form());
    assertTrue(r.body().contains("fish+%26+chips+%3D+2%2B2"), r.body());
    assertTrue(r.signatureValid(TOKEN), "X-Twilio-Signature must validate");
    assertTrue(!r.signatureValid("other-token"));
    assertEquals("TwilioProxy/1.1", r.header("User-Agent"));
    assertNotNull(r.header("I-Twilio-Idempotency-Token"));
    assertNull(r.header("X-Bridge-Signature"));

    assertEquals(200, response.status());
    assertEquals("text/xml; charset=UTF-8", response.contentType());
    assertArrayEquals(TWIML.getBytes(StandardCharsets.UTF_8), response.body());
    assertEquals(URI.create(app.url("/voice?x=1&y=a%20b")), response.finalUrl());
    assertEquals(1, metrics.requests("voice", "2xx"));
  }

  @Test
  void theArrivalOfTheTwimlIsNotedBeforeTheCallGetsIt() throws Exception {
    OwnLatency own = new OwnLatency();
    client.ownLatency(own);
    // What the call does with the answer (its first ARI command ends the TwiML → command
    // interval) must find the interval started.
    CompletableFuture<Boolean> started = client.fetch(new WebhookRequest(
            URI.create(app.url("/voice")), Method.POST, params(), "CA-own", "voice"))
        .thenApply(response -> own.awaitsCommand("CA-own")).toCompletableFuture();
    assertTrue(started.get(20, TimeUnit.SECONDS));
  }

  @Test
  void wireHeadersAreTwilios() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      CompletableFuture<WebhookResponse> response = client.fetch(new WebhookRequest(
          URI.create("http://127.0.0.1:" + server.getLocalPort() + "/raw"), Method.POST,
          params("A", "1"), "CA1", "voice")).toCompletableFuture();
      String head;
      try (java.net.Socket socket = server.accept()) {
        StringBuilder text = new StringBuilder();
        java.io.InputStream in = socket.getInputStream();
        while (text.indexOf("\r\n\r\n") < 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          text.append((char) b);
        }
        head = text.toString();
        socket.getOutputStream().write(
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(204, response.get(10, TimeUnit.SECONDS).status());
      }
      assertTrue(head.startsWith("POST /raw HTTP/1.1\r\n"), head);
      assertTrue(head.contains("\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"), head);
      assertTrue(head.contains("\r\nUser-Agent: TwilioProxy/1.1\r\n"), head);
      assertTrue(head.contains("\r\nX-Twilio-Signature: "), head);
      assertTrue(head.contains("\r\nI-Twilio-Idempotency-Token: "), head);
    }
  }

  @Test
  void getAppendsParamsAfterTheExistingQueryAndSignsThatUrl() throws Exception {
    fetch(app.url("/menu?lang=en"), Method.GET, "CA1", params("Digits", "1#", "From", "+1 2"));

    TestApp.Received r = app.next();
    assertEquals("GET", r.method());
    assertEquals(app.url("/menu?lang=en&Digits=1%23&From=%2B1+2"), r.url());
    assertEquals("", r.body());
    assertTrue(r.signatureValid(TOKEN));

    fetch(app.url("/plain"), Method.GET, "CA1", params("A", "b"));
    TestApp.Received plain = app.next();
    assertEquals(app.url("/plain?A=b"), plain.url());
    assertTrue(plain.signatureValid(TOKEN));
  }

  @Test
  void serverErrorIsReturnedAsAResponseWithoutRetryByDefault() throws Exception {
    app.respond(r -> TestApp.status(500));
    WebhookResponse response = fetch(app.url("/boom"), Method.POST, "CA1", params("A", "1"));
    assertEquals(500, response.status());
    assertEquals(1, metrics.attempts(), "default retry policy rp=ct does not retry a 5xx");
    assertEquals(1, metrics.requests("voice", "5xx"));
  }

  @Test
  void fragmentIsStrippedAndItsRetryPolicyApplied() throws Exception {
    app.respond(r -> TestApp.status(503));
    WebhookResponse response =
        fetch(app.url("/flaky?q=1#rc=2&rp=5xx"), Method.POST, "CA1", params("A", "1"));
    assertEquals(503, response.status());
    for (int i = 0; i < 3; i++) {
      TestApp.Received r = app.next();
      assertEquals(app.url("/flaky?q=1"), r.url());
      assertTrue(r.signatureValid(TOKEN));
    }
    assertEquals(3, metrics.attempts());
    assertEquals(2, metrics.retries());
  }

  @Test
  void connectionRefusedFailsAfterTheRetryCount() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    WebhookException e = fetchFails("http://127.0.0.1:" + port + "/x");
    assertTrue(e.getMessage().startsWith("connect_error"), e.getMessage());
    assertEquals(URI.create("http://127.0.0.1:" + port + "/x"), e.url());
    assertEquals(2, metrics.attempts(), "rc=1 by default: one retry");

    fetchFails("http://127.0.0.1:" + port + "/x#rc=3&ct=500");
    assertEquals(2 + 4, metrics.attempts());
    assertEquals(2, metrics.requests("voice", "connect_error"));
  }

  @Test
  void slowServerBeyondReadTimeoutFails() throws Exception {
    app.respond(r -> new CompletableFuture<>());
    WebhookException e = fetchFails(app.url("/slow#rt=200&rc=0"));
    assertTrue(e.getMessage().startsWith("timeout"), e.getMessage());
    assertEquals(app.url("/slow"), app.next().url());

    WebhookException total = fetchFails(app.url("/slow#rt=5000&tt=300&rc=0"));
    assertTrue(total.getMessage().startsWith("timeout"), total.getMessage());
    assertEquals(2, metrics.requests("voice", "timeout"));
  }

  @Test
  void aFullConnectionPoolMakesWebhooksWaitInsteadOfFailing() throws Exception {
    client.close();
    WebhookSettings d = WebhookSettings.defaults(TOKEN, outboxDir);
    // One connection: the pool holds 64 requests; with the answers held back, the 150 webhooks
    // below are all outstanding at once, so most of them find the pool full.
    client = HttpWebhookClient.start(KIT.system(), new WebhookSettings(d.authToken(),
        d.accountSid(), d.bridgeSecret(), d.signatureMode(), d.connection(), d.maxRedirects(),
        d.maxResponseBytes(), 1, d.userAgent(), d.cookieIdleTtl(), d.maxCookieCalls(),
        d.outbox()), java.time.Clock.systemUTC(), metrics);
    CompletableFuture<Void> open = new CompletableFuture<>();
    app.respond(r -> open.thenApply(v -> TestApp.twiml(TWIML).toCompletableFuture().join()));
    List<CompletableFuture<WebhookResponse>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      sent.add(client.fetch(new WebhookRequest(URI.create(app.url("/burst#rt=20000&tt=25000&rc=0")),
          Method.POST, params("CallSid", "CA" + i), "CA" + i, "voice")).toCompletableFuture());
    }
    open.complete(null);
    for (CompletableFuture<WebhookResponse> response : sent) {
      assertEquals(200, response.get(30, TimeUnit.SECONDS).status());
    }
    for (int i = 0; i < 150; i++) {
      assertTrue(app.next().signatureValid(TOKEN));
    }
    assertEquals(150, metrics.attempts(), "each webhook went out once");
  }

  @Test
  void redirectsAreFollowedAndResignedUpToTen() throws Exception {
    app.respond(r -> {
      int n = Integer.parseInt(r.path().substring("/r/".length()));
      return n == 0 ? TestApp.twiml(TWIML) : CompletableFuture.completedFuture(
          HttpResponse.create().withStatus(302).addHeader(Location.create("/r/" + (n - 1))));
    });
    WebhookResponse response = fetch(app.url("/r/10"), Method.POST, "CA1", params("Digits", "5"));
    assertEquals(200, response.status());
    assertEquals(URI.create(app.url("/r/0")), response.finalUrl());
    TestApp.Received first = app.next();
    assertEquals("POST", first.method());
    assertEquals("5", first.param("Digits"));
    for (int i = 9; i >= 0; i--) {
      TestApp.Received hop = app.next();
      assertEquals(app.url("/r/" + i), hop.url());
      assertEquals("GET", hop.method(), "302 after POST becomes GET without the parameters");
      assertTrue(hop.signatureValid(TOKEN));
    }

    WebhookException e = fetchFails(app.url("/r/11"));
    assertTrue(e.getMessage().startsWith("too_many_redirects"), e.getMessage());
  }

  @Test
  void temporaryRedirectKeepsMethodAndParameters() throws Exception {
    app.respond(r -> r.path().equals("/old")
        ? CompletableFuture.completedFuture(HttpResponse.create().withStatus(307)
            .addHeader(Location.create(app.url("/new?v=2"))))
        : TestApp.twiml(TWIML));
    fetch(app.url("/old"), Method.POST, "CA1", params("Digits", "7"));
    app.next();
    TestApp.Received moved = app.next();
    assertEquals("POST", moved.method());
    assertEquals("7", moved.param("Digits"));
    assertEquals(app.url("/new?v=2"), moved.url());
    assertTrue(moved.signatureValid(TOKEN));
  }

  @Test
  void cookiesAreKeptPerCall() throws Exception {
    app.respond(r -> r.path().equals("/login")
        ? CompletableFuture.completedFuture(HttpResponse.create().addHeader(SetCookie.create(
            HttpCookie.create("session", r.param("CallSid")).withPath("/"))))
        : TestApp.twiml(TWIML));
    fetch(app.url("/login"), Method.POST, "CA1", params("CallSid", "CA1"));
    fetch(app.url("/login"), Method.POST, "CA2", params("CallSid", "CA2"));
    app.next();
    app.next();

    fetch(app.url("/next"), Method.POST, "CA1", params("CallSid", "CA1"));
    assertEquals("session=CA1", app.next().header("Cookie"));
    fetch(app.url("/next"), Method.GET, "CA2", params());
    assertEquals("session=CA2", app.next().header("Cookie"));
    fetch(app.url("/next"), Method.POST, "CA3", params("CallSid", "CA3"));
    assertNull(app.next().header("Cookie"));

    client.callEnded("CA1");
    fetch(app.url("/next"), Method.POST, "CA1", params("CallSid", "CA1"));
    assertNull(app.next().header("Cookie"));
  }

  @Test
  void oversizedBodyFails() throws Exception {
    String big = "<Response>" + "x".repeat(100 * 1024) + "</Response>";
    app.respond(r -> TestApp.twiml(big));
    WebhookException e = fetchFails(app.url("/big"));
    assertTrue(e.getMessage().startsWith("body_too_large"), e.getMessage());
  }

  @Test
  void smallBodyReceivedWholeIsHeldToTheLimitToo() throws Exception {
    client.close();
    WebhookSettings d = WebhookSettings.defaults(TOKEN, outboxDir);
    int limit = TWIML.length() + 10;
    client = HttpWebhookClient.start(KIT.system(), new WebhookSettings(d.authToken(),
        d.accountSid(), d.bridgeSecret(), d.signatureMode(), d.connection(), d.maxRedirects(),
        limit, d.maxConnections(), d.userAgent(), d.cookieIdleTtl(), d.maxCookieCalls(),
        d.outbox()), java.time.Clock.systemUTC(), metrics);

    WebhookResponse fits = fetch(app.url("/voice"), Method.POST, "CA1", params("CallSid", "CA1"));
    assertArrayEquals(TWIML.getBytes(StandardCharsets.UTF_8), fits.body());
    app.respond(r -> TestApp.twiml("<Response>" + "x".repeat(limit) + "</Response>"));
    WebhookException e = fetchFails(app.url("/big"));
    assertTrue(e.getMessage().startsWith("body_too_large: response body larger than " + limit),
        e.getMessage());
  }

  @Test
  void relativeUrlIsRefused() {
    WebhookException e = fetchFails("/relative");
    assertTrue(e.getMessage().startsWith("invalid_request"), e.getMessage());
  }

  @Test
  void bridgeModeAddsAVerifiableBridgeSignature() throws Exception {
    client.close();
    client = HttpWebhookClient.start(KIT.system(), WebhookSettings.defaults(TOKEN, outboxDir)
        .withSignatureMode(SignatureMode.TWILIO_AND_BRIDGE, "bridge-secret"));
    BridgeSignatureVerifier verifier = BridgeSignatureVerifier.withDefaults("bridge-secret");

    fetch(app.url("/voice"), Method.POST, "CA1", params("CallSid", "CA1", "Digits", "1"));
    TestApp.Received r = app.next();
    assertTrue(r.signatureValid(TOKEN));
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    BridgeVerification first =
        verifier.verify(r.header("X-Bridge-Timestamp"), r.header("X-Bridge-Signature"), body);
    assertEquals(BridgeVerification.Status.VALID, first.status(), first.detail());
    assertEquals(BridgeVerification.Status.REPLAYED, verifier
        .verify(r.header("X-Bridge-Timestamp"), r.header("X-Bridge-Signature"), body).status());
  }
}
