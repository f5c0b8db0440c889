package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {
  private static final ConnectionPolicy DEFAULTS = ConnectionPolicy.twilioDefaults();

  @Test
  void noFragmentKeepsDefaults() {
    WebhookTarget target = WebhookTarget.of(URI.create("https://app.example/voice?a=1"), DEFAULTS);
    assertEquals("https://app.example/voice?a=1", target.url());
    assertEquals(DEFAULTS, target.policy());
  }

  @Test
  void fragmentIsStrippedAndApplied() {
    WebhookTarget target = WebhookTarget.of(
        URI.create("https://app.example/voice?a=1#ct=2000&rt=300&tt=9000&rc=3&rp=4xx,5xx&e=ie1"),
        DEFAULTS);
    assertEquals("https://app.example/voice?a=1", target.url());
    assertEquals(new ConnectionPolicy(Duration.ofMillis(2000), Duration.ofMillis(300),
        Duration.ofMillis(9000), 3, EnumSet.of(RetryOn.STATUS_4XX, RetryOn.STATUS_5XX)),
        target.policy());
  }

  @Test
  void outOfRangeValuesAreClampedAndGarbageIgnored() {
    ConnectionPolicy policy = WebhookTarget.of(
        URI.create("http://h/x#ct=5&rt=99999&rc=9&tt=abc&rp=bogus"), DEFAULTS).policy();
    assertEquals(Duration.ofMillis(100), policy.connectTimeout());
    assertEquals(Duration.ofMillis(15000), policy.readTimeout());
    assertEquals(5, policy.retryCount());
    assertEquals(DEFAULTS.totalTimeout(), policy.totalTimeout());
    assertEquals(DEFAULTS.retryPolicy(), policy.retryPolicy());
  }

  @Test
  void retryPolicyAllExpands() {
    assertEquals(EnumSet.allOf(RetryOn.class), RetryOn.parsePolicy("ct,all"));
    assertEquals(Set.of(RetryOn.CONNECT, RetryOn.READ_TIMEOUT), RetryOn.parsePolicy(" ct , rt "));
  }

  @Test
  void nonHttpOrRelativeUrlsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> WebhookTarget.of(URI.create("/relative"), DEFAULTS));
    assertThrows(IllegalArgumentException.class,
        () -> WebhookTarget.of(URI.create("ftp://h/x"), DEFAULTS));
  }

  @Test
  void getQueryIsAppendedOnceAfterTheExistingQuery() {
    var params = HttpWebhookClientTest.params("Digits", "1 2", "X", "&=+é");
    assertEquals("http://h/p?Digits=1+2&X=%26%3D%2B%C3%A9", FormEncoding.appendQuery("http://h/p", params));
    assertEquals("http://h/p?a=%20b&Digits=1+2&X=%26%3D%2B%C3%A9",
        FormEncoding.appendQuery("http://h/p?a=%20b", params));
    assertEquals("http://h/p?Digits=1+2&X=%26%3D%2B%C3%A9", FormEncoding.appendQuery("http://h/p?", params));
    assertEquals("http://h/p?a=1", FormEncoding.appendQuery("http://h/p?a=1", java.util.List.of()));
  }

  @Test
  void settingsComeFromReferenceConfWithOverrides() {
    WebhookSettings settings = WebhookSettings.fromConfig(ConfigFactory.parseString(
        "switchboard.webhooks { auth-token = tok, signature-mode = \"twilio+bridge\", "
            + "bridge-secret = sec, retry-policy = [ct, 5xx], outbox.dir = \"/tmp/ob\" }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
    assertEquals("tok", settings.authToken());
    assertEquals(SignatureMode.TWILIO_AND_BRIDGE, settings.signatureMode());
    assertEquals(Duration.ofMillis(5000), settings.connection().connectTimeout());
    assertEquals(Set.of(RetryOn.CONNECT, RetryOn.STATUS_5XX), settings.connection().retryPolicy());
    assertEquals(1, settings.connection().retryCount());
    assertEquals(10, settings.maxRedirects());
    assertEquals(80 * 1024, settings.maxResponseBytes());
    assertEquals("TwilioProxy/1.1", settings.userAgent());
    assertEquals(Path.of("/tmp/ob"), settings.outbox().dir());
    assertEquals(Duration.ofHours(24), settings.outbox().maxAge());
    assertEquals(OutboxSettings.Fsync.ALWAYS, settings.outbox().fsync());
  }

  @Test
  void missingAuthTokenOrBridgeSecretIsAClearError() {
    var reference = ConfigFactory.defaultReference().resolve();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WebhookSettings.fromConfig(reference));
    assertEquals("switchboard.webhooks.auth-token must be set", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WebhookSettings.fromConfig(
        ConfigFactory.parseString("switchboard.webhooks { auth-token = t, signature-mode = bridge }")
            .withFallback(reference)));
  }
}
