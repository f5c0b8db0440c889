package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.port.WebhookPort.WebhookException;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.port.WebhookPort.WebhookResponse;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The webhook client across an application outage, over real HTTP on loopback: a refused
 * connection fails at once, a request that timed out is never sent later, and the outbox delivers
 * each callback once (twice, with the same idempotency token, only when the application timed out
 * after receiving it), in order per call, as soon as the application answers again.
 */
class WebhookRecoveryTest {
  private static final String TOKEN = HttpWebhookClientTest.TOKEN;
  private static final String TWIML = "<Response><Hangup/></Response>";
  private static final ActorTestKit KIT = TestApp.testKit("webhook-recovery");

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final WebhookMetrics metrics = new WebhookMetrics();

  /** A callback as the application received it. */
  private record Arrival(long nanos, String path, String callSid, String seq, String token) {}

  private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void refusedConnectionsFailAtOnceEvenInABurst() throws Exception {
    HttpWebhookClient client = client(64, OutboxSettings.defaults(dir));
    String down = "http://127.0.0.1:" + TestApp.closedPort() + "/voice";
    List<CompletableFuture<WebhookResponse>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(client.fetch(request(down, "CA" + i, "voice")).toCompletableFuture());
    }
    // Twilio's default read timeout is 15 s: a request waiting on a backed-off pool would take
    // that long. Refused connections must all be reported well before.
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null).get(3, TimeUnit.SECONDS);
    for (CompletableFuture<WebhookResponse> response : sent) {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, response::get);
      WebhookException failure = assertInstanceOf(WebhookException.class, e.getCause());
      assertTrue(failure.getMessage().startsWith("connect_error: connection refused"),
          failure.getMessage());
      assertEquals(WebhookException.HTTP_CONNECTION_FAILURE, failure.errorCode());
    }
    assertEquals(60, metrics.attemptFailures(WebhookHttpSender.REFUSED),
        "each webhook tried twice (rc=1, rp=ct), each attempt refused");
  }

  @Test
  void requestsThatTimedOutAreNeverSentLater() throws Exception {
    HttpWebhookClient client = client(2, OutboxSettings.defaults(dir));
    CompletableFuture<HttpResponse> stalled = new CompletableFuture<>();
    CountDownLatch bothHeld = new CountDownLatch(2);
    TestApp app = app(0, r -> {
      if (r.path().startsWith("/held/")) {
        bothHeld.countDown();
        return stalled;
      }
      return TestApp.twiml(TWIML);
    });
    // The application stalls: it holds the two requests the two connections carry...
    List<CompletableFuture<WebhookResponse>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(client.fetch(request(app.url("/held/" + i + "#rt=10000&tt=10000"), "CAH" + i,
          "voice")).toCompletableFuture());
    }
    assertTrue(bothHeld.await(10, TimeUnit.SECONDS), "both connections busy");
    // ...so eight more cannot be sent before their 300 ms are up.
    List<CompletableFuture<WebhookResponse>> waiting = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiting.add(client.fetch(request(app.url("/late/" + i + "#rt=300&tt=300&rc=0"), "CA" + i,
          "voice")).toCompletableFuture());
    }
    for (CompletableFuture<WebhookResponse> response : waiting) {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, () -> response.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().startsWith("timeout"), e.getCause().getMessage());
    }
    long cancelled = System.nanoTime();

    // The application answers again: the held requests complete, the next request goes through
    // at once, and none of the abandoned ones is sent in front of it (or ever).
    stalled.complete(HttpResponse.create().withEntity(
        org.apache.pekko.http.javadsl.model.ContentTypes.TEXT_XML_UTF8, TWIML));
    for (CompletableFuture<WebhookResponse> response : held) {
      assertEquals(200, response.get(10, TimeUnit.SECONDS).status());
    }
    WebhookResponse probe = client.fetch(request(app.url("/probe#rt=5000&tt=5000"), "CAP", "voice"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, probe.status());
    List<Arrival> late = arrivals.stream().filter(a -> a.path().startsWith("/late/")).toList();
    assertTrue(late.isEmpty(), "requests sent although their caller gave up "
        + late.stream().map(a -> (a.nanos() - cancelled) / 1_000_000 + " ms after").toList());
  }

  @Test
  void outboxDeliversEachCallbackOnceAfterAnOutageAndRetriesWithTheSameToken() throws Exception {
    int port = TestApp.closedPort();
    CountDownLatch refused = new CountDownLatch(9);
    metrics.onRequest((purpose, ms) -> {
      if (purpose.equals("status")) {
        refused.countDown();
      }
    });
    HttpWebhookClient client = client(64, fastRetries());
    notifyCallbacks(client, "http://127.0.0.1:" + port + "/status#rt=1500&tt=1500", 3, 3);
    assertTrue(refused.await(10, TimeUnit.SECONDS), "attempts during the outage");

    // The application comes back on the same port; it keeps the first copy of CA1's first
    // callback past the 1.5 s read timeout: the retry of that one must carry the same token.
    AtomicBoolean heldOnce = new AtomicBoolean();
    app(port, r -> r.param("CallSid").equals("CA1") && r.param("SequenceNumber").equals("1")
        && heldOnce.compareAndSet(false, true) ? new CompletableFuture<>() : TestApp.status(204));
    awaitTrue(() -> client.outboxDepth() == 0, "every callback delivered");
    flushStaleRequests(client, port);

    Map<String, List<String>> perCall = perCall();
    assertEquals(List.of("1", "1", "2", "3"), perCall.get("CA1"),
        "the timed-out callback once more, then the others in order: " + perCall);
    assertEquals(List.of("1", "2", "3"), perCall.get("CA2"));
    assertEquals(List.of("1", "2", "3"), perCall.get("CA3"));
    List<String> tokens = arrivals.stream()
        .filter(a -> a.callSid().equals("CA1") && a.seq().equals("1")).map(Arrival::token).toList();
    assertEquals(tokens.get(0), tokens.get(1), "a retry carries the same idempotency token");
    assertEquals(9, arrivals.stream().filter(a -> a.path().equals("/status"))
            .map(Arrival::token).distinct().count(),
        "one token per callback");
  }

  @Test
  void callbacksFollowAsSoonAsTheApplicationAnswersAgain() throws Exception {
    int port = TestApp.closedPort();
    CountDownLatch refused = new CountDownLatch(2);
    metrics.observe(new WebhookMetrics.Observer() {
      @Override
      public void outboxRetried() {
        refused.countDown();
      }
    });
    // A backoff of a minute: without the recovery signal nothing would be sent again in time.
    OutboxSettings d = fastRetries();
    HttpWebhookClient client = client(64, new OutboxSettings(d.dir(), d.maxAge(),
        Duration.ofMinutes(1), Duration.ofMinutes(2), d.fsync(), d.fsyncInterval(),
        d.compactAfter(), d.pollInterval(), d.maxInFlight()));
    notifyCallbacks(client, "http://127.0.0.1:" + port + "/status", 2, 2);
    assertTrue(refused.await(10, TimeUnit.SECONDS), "first attempts refused");

    CountDownLatch delivered = new CountDownLatch(4);
    TestApp app = app(port, r -> {
      if (r.path().equals("/status")) {
        delivered.countDown();
      }
      return r.path().equals("/voice") ? TestApp.twiml(TWIML) : TestApp.status(204);
    });
    // A call's webhook reaches the application: its host is back.
    assertEquals(200, client.fetch(request(app.url("/voice"), "CA9", "voice"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).status());
    assertTrue(delivered.await(10, TimeUnit.SECONDS), "callbacks sent once the host answered");
    awaitTrue(() -> client.outboxDepth() == 0, "outbox empty; received " + arrivals);
    Map<String, List<String>> perCall = perCall();
    assertEquals(List.of("1", "2"), perCall.get("CA1"));
    assertEquals(List.of("1", "2"), perCall.get("CA2"));
  }

  @Test
  void callbacksThatTimedOutFollowAsSoonAsTheApplicationAnswersAgain() throws Exception {
    AtomicBoolean slow = new AtomicBoolean(true);
    CountDownLatch timedOut = retries(2);
    CountDownLatch delivered = new CountDownLatch(4);
    TestApp app = app(TestApp.closedPort(), r -> {
      if (r.path().equals("/status") && slow.get()) {
        return new CompletableFuture<>();
      }
      if (r.path().equals("/status")) {
        delivered.countDown();
      }
      return r.path().equals("/voice") ? TestApp.twiml(TWIML) : TestApp.status(204);
    });
    // A minute of backoff: before, a callback that timed out waited it out whatever the host did.
    HttpWebhookClient client = client(64, slowRetries(Duration.ofSeconds(5)));
    notifyCallbacks(client, app.url("/status") + "#rt=1000&tt=1000&rc=0", 2, 2);
    assertTrue(timedOut.await(15, TimeUnit.SECONDS), "first attempts timed out");

    slow.set(false);
    assertEquals(200, client.fetch(request(app.url("/voice"), "CA9", "voice"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).status());
    assertTrue(delivered.await(20, TimeUnit.SECONDS), "callbacks sent once the host answered");
    awaitTrue(() -> client.outboxDepth() == 0, "outbox empty; received " + arrivals);
    assertDeliveredInOrder();
  }

  @Test
  void aHostThatComesBackIsProbedWhenNothingElseIsSentToIt() throws Exception {
    int port = TestApp.closedPort();
    CountDownLatch refused = retries(2);
    HttpWebhookClient client = client(64, slowRetries(Duration.ofMillis(200)));
    notifyCallbacks(client, "http://127.0.0.1:" + port + "/status", 2, 2);
    assertTrue(refused.await(10, TimeUnit.SECONDS), "first attempts refused");

    CountDownLatch delivered = new CountDownLatch(4);
    app(port, r -> {
      delivered.countDown();
      return TestApp.status(204);
    });
    assertTrue(delivered.await(10, TimeUnit.SECONDS),
        "callbacks sent once a probe found the host back; received " + arrivals);
    awaitTrue(() -> client.outboxDepth() == 0, "outbox empty; received " + arrivals);
    assertDeliveredInOrder();
  }

  /** Counts down on each outbox retry, {@code n} times. */
  private CountDownLatch retries(int n) {
    CountDownLatch latch = new CountDownLatch(n);
    metrics.observe(new WebhookMetrics.Observer() {
      @Override
      public void outboxRetried() {
        latch.countDown();
      }
    });
    return latch;
  }

  /** A minute of backoff, and a probe of a host that gave no answer every {@code probe}. */
  private OutboxSettings slowRetries(Duration probe) {
    OutboxSettings d = fastRetries();
    return new OutboxSettings(d.dir(), d.maxAge(), Duration.ofMinutes(1), Duration.ofMinutes(2),
        d.fsync(), d.fsyncInterval(), d.compactAfter(), d.pollInterval(), d.maxInFlight(), probe);
  }

  /** Each call's callbacks arrived in order: its 2 only after every attempt of its 1. */
  private void assertDeliveredInOrder() {
    for (String call : List.of("CA1", "CA2")) {
      List<String> seen = perCall().get(call);
      assertTrue(seen.indexOf("2") > seen.lastIndexOf("1"), call + ": " + seen);
    }
  }

  private HttpWebhookClient client(int maxConnections, OutboxSettings outbox) {
    WebhookSettings d = WebhookSettings.defaults(TOKEN, dir);
    HttpWebhookClient client = HttpWebhookClient.start(KIT.system(), new WebhookSettings(
        d.authToken(), d.accountSid(), d.bridgeSecret(), d.signatureMode(), d.connection(),
        d.maxRedirects(), d.maxResponseBytes(), maxConnections, d.userAgent(), d.cookieIdleTtl(),
        d.maxCookieCalls(), outbox), Clock.systemUTC(), metrics);
    open.add(client);
    return client;
  }

  private OutboxSettings fastRetries() {
    OutboxSettings d = OutboxSettings.defaults(dir.resolve("outbox"));
    return new OutboxSettings(d.dir(), d.maxAge(), Duration.ofMillis(50), Duration.ofMillis(200),
        d.fsync(), d.fsyncInterval(), d.compactAfter(), Duration.ofMillis(20), d.maxInFlight());
  }

  private TestApp app(int port,
      java.util.function.Function<TestApp.Received, java.util.concurrent.CompletionStage<HttpResponse>>
          responder) throws Exception {
    TestApp app = TestApp.start(KIT.system(), port, r -> {
      arrivals.add(new Arrival(System.nanoTime(), r.path(), String.valueOf(r.param("CallSid")),
          String.valueOf(r.param("SequenceNumber")), r.header("I-Twilio-Idempotency-Token")));
      return responder.apply(r);
    });
    open.add(app);
    return app;
  }

  private static void notifyCallbacks(HttpWebhookClient client, String url, int calls, int each) {
    for (int seq = 1; seq <= each; seq++) {
      for (int call = 1; call <= calls; call++) {
        client.notify(new WebhookRequest(URI.create(url), Method.POST,
            HttpWebhookClientTest.params("CallSid", "CA" + call, "SequenceNumber", "" + seq),
            "CA" + call, "status"));
      }
    }
  }

  /** A request sent after everything else: a copy still queued would reach the app before it. */
  private void flushStaleRequests(HttpWebhookClient client, int port) throws Exception {
    client.fetch(request("http://127.0.0.1:" + port + "/probe#rt=5000&tt=5000", "CAP", "voice"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Map<String, List<String>> perCall() {
    Map<String, List<String>> perCall = new TreeMap<>();
    synchronized (arrivals) {
      for (Arrival a : arrivals) {
        if (a.path().equals("/status")) {
          perCall.computeIfAbsent(a.callSid(), k -> new ArrayList<>()).add(a.seq());
        }
      }
    }
    return perCall;
  }

  private static WebhookRequest request(String url, String callSid, String purpose) {
    return new WebhookRequest(URI.create(url), Method.POST,
        HttpWebhookClientTest.params("CallSid", callSid), callSid, purpose);
  }

  /** Waits for {@code condition}, re-checking every 10 ms, failing after 15 s. */
  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
      synchronized (monitor) {
        monitor.wait(10);
      }
    }
  }
}
