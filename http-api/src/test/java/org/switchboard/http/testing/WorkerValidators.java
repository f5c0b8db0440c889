package org.switchboard.http.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Llamenos Worker's webhook checks, written again from {@code
 * ../shared/spec/llamenos-protocol.md} §1.2 and sharing no code with Switchboard's signers, so a
 * test that passes shows the Worker would accept what Switchboard sends.
 */
public final class WorkerValidators {
  private WorkerValidators() {}

  /**
   * The Worker's Twilio adapter ({@code twilio.ts validateWebhook}, Twilio's own scheme): {@code
   * X-Twilio-Signature} = base64 HMAC-SHA1(auth token, full URL + each form key and value, keys in
   * sorted order).
   */
  public static boolean twilio(String authToken, String url, List<Map.Entry<String, String>> form,
      String signatureHeader) {
    if (signatureHeader == null) {
      return false;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    form.forEach(e -> sorted.put(e.getKey(), e.getValue()));
    StringBuilder data = new StringBuilder(url);
    sorted.forEach((k, v) -> data.append(k).append(v));
    String expected = Base64.getEncoder().encodeToString(
        hmac("HmacSHA1", authToken, data.toString().getBytes(StandardCharsets.UTF_8)));
    return equal(expected, signatureHeader);
  }

  /**
   * The llamenos-hotline Worker's Asterisk adapter (@13b82b73): {@code X-Bridge-Signature} = hex
   * HMAC-SHA256(secret, {@code `${X-Bridge-Timestamp}.${rawBody}`}), the timestamp Unix seconds
   * within ±300 s of {@code nowMillis}.
   */
  public static boolean hotline(String secret, String timestampHeader, String signatureHeader,
      byte[] rawBody, long nowMillis) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestampHeader);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowMillis / 1000 - seconds) > 300) {
      return false;
    }
    byte[] data = concat((timestampHeader + ".").getBytes(StandardCharsets.UTF_8), rawBody);
    return equal(HexFormat.of().formatHex(hmac("HmacSHA256", secret, data)), signatureHeader);
  }

  /**
   * The llamenos-platform lineage: {@code X-Bridge-Signature} = base64 HMAC-SHA256(secret, {@code
   * `${timestamp}.${url}.${body}`}), {@code X-Bridge-Timestamp} in milliseconds within ±5 min.
   */
  public static boolean platform(String secret, String url, String timestampHeader,
      String signatureHeader, byte[] rawBody, long nowMillis) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long millis;
    try {
      millis = Long.parseLong(timestampHeader);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowMillis - millis) > 5 * 60_000) {
      return false;
    }
    byte[] data = concat((timestampHeader + "." + url + ".").getBytes(StandardCharsets.UTF_8),
        rawBody);
    return equal(Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, data)),
        signatureHeader);
  }

  /**
   * The llamenos-hotline Worker's bridge client ({@code bridge-client.ts}): {@code
   * X-Bridge-Signature} of a request sent at {@code seconds}, hex HMAC-SHA256 of {@code
   * `${ts}.${body}`}.
   */
  public static String hotlineSignature(String secret, long seconds, byte[] body) {
    byte[] data = concat((seconds + ".").getBytes(StandardCharsets.UTF_8), body);
    return HexFormat.of().formatHex(hmac("HmacSHA256", secret, data));
  }

  /**
   * The llamenos-platform Worker's bridge client: base64 HMAC-SHA256 of {@code
   * `${ts}.${url}.${body}`}, {@code ts} in milliseconds.
   */
  public static String platformSignature(String secret, long millis, String url, byte[] body) {
    byte[] data = concat((millis + "." + url + ".").getBytes(StandardCharsets.UTF_8), body);
    return Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, data));
  }

  private static byte[] hmac(String algorithm, String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean equal(String expected, String actual) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        actual.getBytes(StandardCharsets.UTF_8));
  }
}
