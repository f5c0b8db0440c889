package org.switchboard.http.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The Llamenos Worker's signature mode: {@code X-Bridge-Signature} is the lower-case hex
 * HMAC-SHA256 of {@code "{timestamp}.{raw body}"} with a shared secret, and {@code
 * X-Bridge-Timestamp} the Unix time in seconds. A GET has an empty body, so only the timestamp is
 * covered; the URL is protected by {@code X-Twilio-Signature}.
 */
public final class BridgeSignature {
  /** Header carrying the hex signature. */
  public static final String SIGNATURE_HEADER = "X-Bridge-Signature";

  /** Header carrying the Unix timestamp in seconds. */
  public static final String TIMESTAMP_HEADER = "X-Bridge-Timestamp";

  private static final Hmacs HMAC_SHA256 = new Hmacs("HmacSHA256");

  private BridgeSignature() {}

  /**
   * The llamenos-platform signature of a request to {@code url} with {@code body} sent at {@code
   * epochMillis}: base64 HMAC-SHA256 of {@code "{epochMillis}.{url}.{body}"}.
   */
  public static String signPlatform(String secret, long epochMillis, String url, byte[] body) {
    Mac mac = HMAC_SHA256.keyed(secret);
    mac.update((epochMillis + "." + url + ".").getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  /** The hex signature of {@code body} sent at {@code epochSeconds}. */
  public static String sign(String secret, long epochSeconds, byte[] body) {
    Mac mac = HMAC_SHA256.keyed(secret);
    mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
