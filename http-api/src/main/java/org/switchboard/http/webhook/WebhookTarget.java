package org.switchboard.http.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook URL split into what is sent (everything before {@code #}) and the connection policy
 * its fragment asks for ({@code #ct=…&rt=…&tt=…&rc=…&rp=…}, spec §5.4). Unknown fragment keys
 * (Twilio's {@code e} edge, {@code sni}) are ignored; out-of-range values are clamped to Twilio's
 * documented ranges; unparsable values keep the default. Each case is logged.
 */
public record WebhookTarget(String url, ConnectionPolicy policy) {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookTarget.class);

  /**
   * Splits {@code url} and applies its overrides to {@code defaults}.
   *
   * @throws IllegalArgumentException when the URL is not absolute http(s)
   */
  public static WebhookTarget of(URI url, ConnectionPolicy defaults) {
    String full = url.toString();
    int hash = full.indexOf('#');
    String sent = hash < 0 ? full : full.substring(0, hash);
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getRawAuthority() == null) {
      throw new IllegalArgumentException("webhook URL must be absolute http(s): " + sent);
    }
    if (hash < 0 || hash == full.length() - 1) {
      return new WebhookTarget(sent, defaults);
    }
    return new WebhookTarget(sent, applyFragment(full.substring(hash + 1), defaults, sent));
  }

  private static ConnectionPolicy applyFragment(
      String fragment, ConnectionPolicy defaults, String url) {
    Duration ct = defaults.connectTimeout();
    Duration rt = defaults.readTimeout();
    Duration tt = defaults.totalTimeout();
    int rc = defaults.retryCount();
    Set<RetryOn> rp = defaults.retryPolicy();
    for (String pair : fragment.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      try {
        switch (key) {
          case "ct" -> ct = millis(value, ConnectionPolicy.MAX_CONNECT_MS, key, url);
          case "rt" -> rt = millis(value, ConnectionPolicy.MAX_READ_MS, key, url);
          case "tt" -> tt = millis(value, ConnectionPolicy.MAX_TOTAL_MS, key, url);
          case "rc" -> rc = (int) clamp(Long.parseLong(value), 0, ConnectionPolicy.MAX_RETRIES, key, url);
          case "rp" -> rp = RetryOn.parsePolicy(value);
          default -> LOG.debug("Ignoring connection override {} on {}", key, url);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("Invalid connection override {}={} on {}: {}; keeping default", key, value, url,
            e.getMessage());
      }
    }
    return new ConnectionPolicy(ct, rt, tt, rc, rp);
  }

  private static Duration millis(String value, long max, String key, String url) {
    return Duration.ofMillis(clamp(Long.parseLong(value), ConnectionPolicy.MIN_MS, max, key, url));
  }

  private static long clamp(long value, long min, long max, String key, String url) {
    if (value < min || value > max) {
      long clamped = Math.max(min, Math.min(max, value));
      LOG.warn("Connection override {}={} on {} is outside [{}, {}]; using {}", key, value, url,
          min, max, clamped);
      return clamped;
    }
    return value;
  }
}
