package org.switchboard.http.api;

import com.typesafe.config.Config;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the HTTP API ({@code switchboard.api} in reference.conf).
 *
 * @param accountSid the AccountSid of Basic auth and of every Twilio resource
 * @param authToken the password of Basic auth
 * @param apiKeySid optional API-key user ({@code SK…}) accepted instead of the AccountSid
 * @param apiKeySecret its secret
 * @param bridgeSecret key of {@code X-Bridge-Signature}
 * @param signatureTolerance how far a bridge timestamp may be from now
 * @param replayCacheSize bridge signatures remembered against replay
 * @param recordingSigningKey key of signed recording URLs
 * @param recordingUrlTtl lifetime of a signed recording URL
 * @param publicBaseUrl how applications reach this server
 * @param maxBodySize largest request body accepted
 * @param askTimeout how long a route waits for the engine
 */
public record ApiSettings(
    String accountSid,
    String authToken,
    Optional<String> apiKeySid,
    Optional<String> apiKeySecret,
    String bridgeSecret,
    Duration signatureTolerance,
    int replayCacheSize,
    String recordingSigningKey,
    Duration recordingUrlTtl,
    URI publicBaseUrl,
    long maxBodySize,
    Duration askTimeout) {

  private static final Logger LOG = LoggerFactory.getLogger(ApiSettings.class);

  /** Reads {@code switchboard.api}; an empty signing key is replaced by a random one (logged). */
  public static ApiSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.api");
    String signingKey = c.getString("recording-signing-key");
    if (signingKey.isEmpty()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      signingKey = HexFormat.of().formatHex(random);
      LOG.warn("switchboard.api.recording-signing-key is empty: using a random key, so recording"
          + " URLs handed out before a restart will stop working after it");
    }
    return new ApiSettings(
        c.getString("account-sid"),
        c.getString("auth-token"),
        nonEmpty(c.getString("api-key-sid")),
        nonEmpty(c.getString("api-key-secret")),
        c.getString("bridge-secret"),
        c.getDuration("signature-tolerance"),
        c.getInt("replay-cache-size"),
        signingKey,
        c.getDuration("recording-url-ttl"),
        URI.create(c.getString("public-base-url")),
        c.getBytes("max-body-size"),
        c.getDuration("ask-timeout"));
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
