package org.switchboard.http.webhook;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the webhook client, read from {@code switchboard.webhooks} (defaults in the
 * module's {@code reference.conf}) or built directly in tests.
 *
 * @param authToken key of {@code X-Twilio-Signature}
 * @param accountSid the AccountSid Switchboard reports (for callers that build parameters)
 * @param bridgeSecret key of {@code X-Bridge-Signature}; required with {@link
 *     SignatureMode#TWILIO_AND_BRIDGE}
 * @param signatureMode which signatures to send
 * @param connection default timeouts and retries, overridable per URL fragment
 * @param maxRedirects 3xx responses followed per request (Twilio: 10, then error 11215)
 * @param maxResponseBytes largest accepted response body
 * @param maxConnections requests in flight per host (each on its own connection); others wait
 *     for one until their deadline
 * @param userAgent {@code User-Agent} header
 * @param cookieIdleTtl a call's cookies are forgotten after this long without a request
 * @param maxCookieCalls bound on the number of calls with cookies kept
 * @param outbox durable outbox for status and recording callbacks
 */
public record WebhookSettings(
    String authToken,
    String accountSid,
    String bridgeSecret,
    SignatureMode signatureMode,
    ConnectionPolicy connection,
    int maxRedirects,
    int maxResponseBytes,
    int maxConnections,
    String userAgent,
    Duration cookieIdleTtl,
    int maxCookieCalls,
    OutboxSettings outbox) {

  /** Validates the combination of values. */
  public WebhookSettings {
    if (authToken == null || authToken.isEmpty()) {
      throw new IllegalArgumentException("switchboard.webhooks.auth-token must be set");
    }
    if (signatureMode != SignatureMode.TWILIO
        && (bridgeSecret == null || bridgeSecret.isEmpty())) {
      throw new IllegalArgumentException(
          "signature-mode " + signatureMode.wire() + " needs a bridge-secret");
    }
    if (maxRedirects < 0 || maxResponseBytes < 1 || maxConnections < 1 || maxCookieCalls < 1) {
      throw new IllegalArgumentException("webhook limits must be positive");
    }
  }

  /** Reads {@code switchboard.webhooks} from a full application config. */
  public static WebhookSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.webhooks");
    List<String> policy = c.getStringList("retry-policy");
    ConnectionPolicy connection =
        new ConnectionPolicy(
            c.getDuration("connect-timeout"),
            c.getDuration("read-timeout"),
            c.getDuration("total-timeout"),
            c.getInt("retry-count"),
            RetryOn.parsePolicy(String.join(",", policy)));
    Config o = c.getConfig("outbox");
    OutboxSettings outbox =
        new OutboxSettings(
            Path.of(o.getString("dir")),
            o.getDuration("max-age"),
            o.getDuration("initial-backoff"),
            o.getDuration("max-backoff"),
            OutboxSettings.Fsync.parse(o.getString("fsync")),
            o.getDuration("fsync-interval"),
            o.getInt("compact-after"),
            o.getDuration("poll-interval"),
            o.getInt("max-in-flight"),
            o.hasPath("probe-interval") ? o.getDuration("probe-interval")
                : OutboxSettings.DEFAULT_PROBE_INTERVAL);
    return new WebhookSettings(
        c.getString("auth-token"),
        c.getString("account-sid"),
        c.getString("bridge-secret"),
        SignatureMode.parse(c.getString("signature-mode")),
        connection,
        c.getInt("max-redirects"),
        (int) c.getBytes("max-response-size").longValue(),
        c.getInt("max-connections"),
        c.getString("user-agent"),
        c.getDuration("cookies.idle-ttl"),
        c.getInt("cookies.max-calls"),
        outbox);
  }

  /** Settings with Twilio's defaults and an outbox in {@code outboxDir} (for tests and tools). */
  public static WebhookSettings defaults(String authToken, Path outboxDir) {
    return new WebhookSettings(authToken, "", "", SignatureMode.TWILIO,
        ConnectionPolicy.twilioDefaults(), 10, 80 * 1024, 64, "TwilioProxy/1.1",
        Duration.ofHours(6), 100_000, OutboxSettings.defaults(outboxDir));
  }

  /** A copy with another signature mode and bridge secret. */
  public WebhookSettings withSignatureMode(SignatureMode mode, String secret) {
    return new WebhookSettings(authToken, accountSid, secret, mode, connection, maxRedirects,
        maxResponseBytes, maxConnections, userAgent, cookieIdleTtl, maxCookieCalls, outbox);
  }

  /** A copy with other outbox settings. */
  public WebhookSettings withOutbox(OutboxSettings newOutbox) {
    return new WebhookSettings(authToken, accountSid, bridgeSecret, signatureMode, connection,
        maxRedirects, maxResponseBytes, maxConnections, userAgent, cookieIdleTtl, maxCookieCalls,
        newOutbox);
  }
}
