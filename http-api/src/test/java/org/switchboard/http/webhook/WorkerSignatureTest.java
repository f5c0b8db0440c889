package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.http.testing.WorkerValidators;

/**
 * Each {@link SignatureMode} against the Llamenos Worker's own checks ({@link WorkerValidators},
 * written from the protocol document): the Twilio adapter, the llamenos-hotline Asterisk adapter
 * ({@code X-Bridge-Signature} hex, seconds) and the llamenos-platform one (base64, milliseconds,
 * URL covered).
 */
class WorkerSignatureTest {
  private static final String SECRET = "your-shared-secret-here";
  private static final ActorTestKit KIT = TestApp.testKit("worker-signature");

  @TempDir Path outboxDir;
  private TestApp worker;
  private HttpWebhookClient client;

  @BeforeEach
  void start() throws Exception {
    worker = TestApp.start(KIT.system(), r -> TestApp.twiml("<Response/>"));
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    worker.close();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private TestApp.Received send(SignatureMode mode) throws Exception {
    client = HttpWebhookClient.start(KIT.system(),
        WebhookSettings.defaults(SECRET, outboxDir).withSignatureMode(mode, SECRET),
        Clock.systemUTC(), new WebhookMetrics());
    List<Map.Entry<String, String>> params = HttpWebhookClientTest.params(
        "CallSid", "CA0123", "From", "+15550001111", "To", "+15551234567",
        "Digits", "", "CallerName", "Zoë & co");
    client.fetch(new WebhookRequest(
            URI.create(worker.url("/api/telephony/captcha?callSid=CA0123&lang=es")),
            Method.POST, params, "CA0123", "voice"))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    return worker.next();
  }

  private static byte[] body(TestApp.Received r) {
    return r.body().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void twilioModeIsAcceptedByTheTwilioAdapterOnly() throws Exception {
    TestApp.Received r = send(SignatureMode.TWILIO);
    assertTrue(WorkerValidators.twilio(SECRET, r.url(), r.form(), r.header("X-Twilio-Signature")));
    assertFalse(WorkerValidators.twilio("another-token", r.url(), r.form(),
        r.header("X-Twilio-Signature")));
    assertNull(r.header("X-Bridge-Signature"));
  }

  @Test
  void bridgeModeIsAcceptedByTheHotlineAsteriskAdapterAndTheTwilioAdapter() throws Exception {
    long now = System.currentTimeMillis();
    TestApp.Received r = send(SignatureMode.TWILIO_AND_BRIDGE);
    String ts = r.header("X-Bridge-Timestamp");
    String sig = r.header("X-Bridge-Signature");
    assertTrue(WorkerValidators.hotline(SECRET, ts, sig, body(r), now), ts + " " + sig);
    assertTrue(WorkerValidators.twilio(SECRET, r.url(), r.form(), r.header("X-Twilio-Signature")));
    // The checks can fail: another secret, a changed body, an old timestamp, the other lineage.
    assertFalse(WorkerValidators.hotline("other", ts, sig, body(r), now));
    assertFalse(WorkerValidators.hotline(SECRET, ts, sig,
        (r.body() + "&x=1").getBytes(StandardCharsets.UTF_8), now));
    // 301 s after the signed second (from the clock read before sending, a send that crossed a
    // second boundary would still be inside the window).
    assertFalse(WorkerValidators.hotline(SECRET, ts, sig, body(r),
        Long.parseLong(ts) * 1000 + 301_000));
    assertFalse(WorkerValidators.platform(SECRET, r.url(), ts, sig, body(r), now));
  }

  @Test
  void platformModeIsAcceptedByThePlatformWorker() throws Exception {
    long now = System.currentTimeMillis();
    TestApp.Received r = send(SignatureMode.TWILIO_AND_BRIDGE_PLATFORM);
    String ts = r.header("X-Bridge-Timestamp");
    String sig = r.header("X-Bridge-Signature");
    // Milliseconds, not seconds.
    assertTrue(Math.abs(Long.parseLong(ts) - now) < 60_000, ts);
    assertTrue(WorkerValidators.platform(SECRET, r.url(), ts, sig, body(r), now));
    assertTrue(WorkerValidators.twilio(SECRET, r.url(), r.form(), r.header("X-Twilio-Signature")));
    assertFalse(WorkerValidators.platform(SECRET, r.url().replace("lang=es", "lang=en"), ts, sig,
        body(r), now));
    assertFalse(WorkerValidators.hotline(SECRET, ts, sig, body(r), now));
    assertEquals("/api/telephony/captcha", r.path());
  }
}
