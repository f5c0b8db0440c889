package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.testing.SteppedClock;

class CallbackOutboxTest {
  private static final String TOKEN = HttpWebhookClientTest.TOKEN;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final ActorTestKit KIT = TestApp.testKit("webhook-outbox");

  @TempDir Path dir;
  private TestApp app;
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
  private final List<HttpWebhookClient> clients = new ArrayList<>();
  private final AtomicBoolean up = new AtomicBoolean();
  private final TestProbe<Object> probe = KIT.createTestProbe();

  @BeforeEach
  void start() throws Exception {
    app = TestApp.start(KIT.system(), r -> {
      if (!up.get()) {
        return TestApp.status(500);
      }
      assertTrue(r.signatureValid(TOKEN));
      delivered.add(r.param("CallSid") + ":" + r.param("SequenceNumber"));
      return TestApp.status(204);
    });
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(HttpWebhookClient::close);
    app.close();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private OutboxSettings outbox(Duration backoff, Duration maxAge, int compactAfter) {
    return new OutboxSettings(dir, maxAge, backoff, backoff.multipliedBy(4),
        OutboxSettings.Fsync.ALWAYS, Duration.ofMillis(50), compactAfter, Duration.ofMillis(20), 8);
  }

  private HttpWebhookClient client(OutboxSettings outbox, Clock clock, WebhookMetrics metrics) {
    HttpWebhookClient client = HttpWebhookClient.start(KIT.system(),
        WebhookSettings.defaults(TOKEN, dir).withOutbox(outbox), clock, metrics);
    clients.add(client);
    return client;
  }

  private WebhookRequest callback(String callSid, int sequence) {
    return new WebhookRequest(URI.create(app.url("/status#rc=0")), Method.POST,
        HttpWebhookClientTest.params("CallSid", callSid, "CallStatus", "completed",
            "SequenceNumber", Integer.toString(sequence)),
        callSid, "status");
  }

  private void await(Runnable assertion) {
    probe.awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }

  @Test
  void appDownThenUpDeliversEachCallbackOnceInOrder() throws Exception {
    WebhookMetrics metrics = new WebhookMetrics();
    HttpWebhookClient client =
        client(outbox(Duration.ofMillis(10), Duration.ofHours(24), 10_000), Clock.systemUTC(), metrics);
    for (int i = 0; i < 3; i++) {
      client.notify(callback("CA1", i));
    }
    client.notify(callback("CA2", 0));
    assertEquals(4, client.outboxDepth());

    java.util.Map<String, String> tokens = new java.util.HashMap<>();
    for (int i = 0; i < 5; i++) {
      TestApp.Received failed = app.next();
      assertEquals("0", failed.param("SequenceNumber"),
          "nothing overtakes the undelivered head of its call");
      String token = failed.header("I-Twilio-Idempotency-Token");
      assertEquals(token, tokens.computeIfAbsent(failed.param("CallSid"), k -> token),
          "a retried callback keeps its idempotency token");
    }
    up.set(true);

    await(() -> assertEquals(0, client.outboxDepth()));
    List<String> ca1 = delivered.stream().filter(d -> d.startsWith("CA1")).toList();
    assertEquals(List.of("CA1:0", "CA1:1", "CA1:2"), ca1);
    assertEquals(1, delivered.stream().filter(d -> d.equals("CA2:0")).count());
    assertEquals(4, delivered.size());
    assertEquals(4, metrics.outboxDelivered());
    assertTrue(metrics.outboxRetried() >= 2);
  }

  @Test
  void restartSendsWhatWasPendingAndNotWhatWasDelivered() throws Exception {
    SteppedClock clock = SteppedClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    OutboxSettings slowRetry = outbox(Duration.ofHours(1), Duration.ofHours(24), 10_000);
    app.respond(r -> TestApp.status(r.param("SequenceNumber").equals("0") ? 200 : 500));
    WebhookMetrics before = new WebhookMetrics();
    HttpWebhookClient first = client(slowRetry, clock, before);
    for (int i = 0; i < 3; i++) {
      first.notify(callback("CA1", i));
    }
    assertEquals("0", app.next().param("SequenceNumber"));
    TestApp.Received failed = app.next();
    assertEquals("1", failed.param("SequenceNumber"));
    await(() -> assertEquals(1, before.outboxRetried()));
    assertEquals(1, before.outboxDelivered());
    first.close();

    up.set(true);
    List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    app.respond(r -> {
      delivered.add(r.param("CallSid") + ":" + r.param("SequenceNumber"));
      tokens.add(r.header("I-Twilio-Idempotency-Token"));
      return TestApp.status(200);
    });
    clock.advance(Duration.ofHours(2));
    HttpWebhookClient second = client(slowRetry, clock, new WebhookMetrics());
    assertEquals(2, second.outboxDepth(), "the journal holds the two undelivered callbacks");

    await(() -> assertEquals(0, second.outboxDepth()));
    assertEquals(List.of("CA1:1", "CA1:2"), delivered);
    assertEquals(failed.header("I-Twilio-Idempotency-Token"), tokens.get(0),
        "the replayed callback keeps its idempotency token");
  }

  @Test
  void callbacksOlderThanMaxAgeGoToDeadLetter() throws Exception {
    SteppedClock clock = SteppedClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    WebhookMetrics metrics = new WebhookMetrics();
    HttpWebhookClient client =
        client(outbox(Duration.ofMillis(10), Duration.ofHours(1), 10_000), clock, metrics);
    client.notify(callback("CA9", 0));
    app.next();
    await(() -> assertEquals(1, metrics.outboxRetried()));

    clock.advance(Duration.ofHours(1).plusSeconds(1));
    await(() -> assertEquals(0, client.outboxDepth()));
    assertEquals(1, metrics.outboxDeadLettered());
    assertEquals(0, metrics.outboxDelivered());
    String deadLetters = Files.readString(dir.resolve("dead-letter.log"), StandardCharsets.UTF_8);
    assertTrue(deadLetters.contains("\"callSid\":\"CA9\""), deadLetters);
    assertTrue(deadLetters.contains("/status#rc=0"), deadLetters);
    client.close();

    HttpWebhookClient restarted = client(outbox(Duration.ofMillis(10), Duration.ofHours(1), 10_000),
        clock, new WebhookMetrics());
    assertEquals(0, restarted.outboxDepth(), "dead-lettered callbacks are not replayed");
  }

  @Test
  void journalIsCompactedOnceDeliveredAndSurvivesATornLine() throws Exception {
    up.set(true);
    WebhookMetrics metrics = new WebhookMetrics();
    HttpWebhookClient client =
        client(outbox(Duration.ofMillis(10), Duration.ofHours(24), 5), Clock.systemUTC(), metrics);
    for (int i = 0; i < 20; i++) {
      client.notify(callback("CA" + i, 0));
    }
    await(() -> assertEquals(20, metrics.outboxDelivered()));
    Path journal = dir.resolve("journal.log");
    await(() -> assertTrue(lines(journal) <= 5, "20 adds and 20 dones were compacted away"));
    client.close();

    up.set(false);
    HttpWebhookClient writer =
        client(outbox(Duration.ofHours(1), Duration.ofHours(24), 10_000), Clock.systemUTC(),
            new WebhookMetrics());
    writer.notify(callback("CA100", 7));
    app.next();
    writer.close();
    Files.writeString(journal, "{\"op\":\"done\",\"id\":\"tr", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    up.set(true);
    SteppedClock later = SteppedClock.at(Instant.now().plus(Duration.ofHours(2)));
    HttpWebhookClient reader =
        client(outbox(Duration.ofHours(1), Duration.ofHours(24), 10_000), later,
            new WebhookMetrics());
    assertEquals(1, reader.outboxDepth());
    await(() -> assertEquals(0, reader.outboxDepth()));
    assertTrue(delivered.contains("CA100:7"));
  }

  private static long lines(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
