package org.switchboard.http.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.switchboard.http.signature.BridgeVerification.Status;

/**
 * Verifies {@code X-Bridge-Signature}/{@code X-Bridge-Timestamp}: constant-time comparison,
 * timestamps at most {@code tolerance} away from the clock, and no signature accepted twice while
 * its timestamp is still within tolerance. Seen signatures live in a bounded cache that forgets
 * them once their timestamp has expired (after which the timestamp check refuses them anyway).
 * Thread-safe.
 */
public final class BridgeSignatureVerifier {
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
  /** A base64 HMAC-SHA256: 32 bytes, 43 characters and one {@code =}. */
  private static final Pattern BASE64_32 = Pattern.compile("[A-Za-z0-9+/]{43}=");

  private final String secret;
  private final Duration tolerance;
  private final int maxRemembered;
  private final Clock clock;
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  /**
   * @param secret the shared secret
   * @param tolerance how far a timestamp may be from now, either way (e.g. 300 s)
   * @param maxRemembered bound of the replay cache; the oldest entry is dropped beyond it
   * @param clock time source (injectable for tests)
   */
  public BridgeSignatureVerifier(
      String secret, Duration tolerance, int maxRemembered, Clock clock) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("bridge secret must not be empty");
    }
    if (maxRemembered < 1) {
      throw new IllegalArgumentException("maxRemembered must be positive");
    }
    this.secret = secret;
    this.tolerance = tolerance;
    this.maxRemembered = maxRemembered;
    this.clock = clock;
  }

  /** A verifier with a 300 s tolerance, 100 000 remembered signatures and the system clock. */
  public static BridgeSignatureVerifier withDefaults(String secret) {
    return new BridgeSignatureVerifier(secret, Duration.ofSeconds(300), 100_000, Clock.systemUTC());
  }

  /** Checks the two header values against the raw body. */
  public BridgeVerification verify(String timestampHeader, String signatureHeader, byte[] body) {
    return verify(timestampHeader, signatureHeader, body, "");
  }

  /**
   * Checks the two header values against the raw body; a signature is refused as a replay only
   * when it was already accepted in the same {@code replayScope} (the request's method and path).
   * The signature covers the timestamp and body only, so requests of one second with the same
   * body (every bodiless GET) carry the same one: scoping lets the Llamenos Worker fetch two
   * recordings in one second, while a repeat of the same request is still refused. A captured
   * signature can so be replayed once on each other path within the tolerance; the bridge's
   * signature scheme gives no way to prevent that.
   */
  public BridgeVerification verify(
      String timestampHeader, String signatureHeader, byte[] body, String replayScope) {
    if (isBlank(timestampHeader) || isBlank(signatureHeader)) {
      return BridgeVerification.of(
          Status.MISSING,
          isBlank(timestampHeader)
              ? BridgeSignature.TIMESTAMP_HEADER + " absent"
              : BridgeSignature.SIGNATURE_HEADER + " absent");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return BridgeVerification.of(Status.MALFORMED, "timestamp is not an integer");
    }
    String signature = signatureHeader.trim();
    if (!HEX_64.matcher(signature).matches()) {
      return BridgeVerification.of(Status.MALFORMED, "signature is neither 64 hex digits nor 32 bytes of base64");
    }
    return verifyHotline(timestamp, signature, body, replayScope);
  }

  /**
   * Checks a request signed either way the Llamenos Worker signs: the llamenos-hotline scheme
   * ({@link #verify(String, String, byte[], String)}: 64 hex digits, Unix seconds, over {@code
   * "{timestamp}.{body}"}, remembered per {@code replayScope}) or the llamenos-platform scheme
   * (base64, milliseconds, over {@code "{timestamp}.{url}.{body}"}). A platform signature is
   * compared with the one of every URL in {@code urls} (the ways the request's URL may have been
   * spelt by the sender: its Host, the public URL), each comparison in constant time and all of
   * them made; since it covers the URL, it is remembered whatever the path: accepted once.
   */
  public BridgeVerification verifyEither(String timestampHeader, String signatureHeader,
      byte[] body, String replayScope, java.util.List<String> urls) {
    if (isBlank(timestampHeader) || isBlank(signatureHeader)
        || !BASE64_32.matcher(signatureHeader.trim()).matches()) {
      return verify(timestampHeader, signatureHeader, body, replayScope);
    }
    long millis;
    try {
      millis = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return BridgeVerification.of(Status.MALFORMED, "timestamp is not an integer");
    }
    long nowMillis = clock.millis();
    long window = tolerance.toMillis();
    if (millis < saturatedAdd(nowMillis, -window) || millis > saturatedAdd(nowMillis, window)) {
      return BridgeVerification.of(Status.EXPIRED, "timestamp " + millis
          + " ms is outside now (" + nowMillis + " ms) +- " + tolerance.toSeconds() + " s");
    }
    byte[] given = signatureHeader.trim().getBytes(StandardCharsets.US_ASCII);
    byte[] raw = body == null ? new byte[0] : body;
    boolean matches = false;
    for (String url : urls) {
      String expected = BridgeSignature.signPlatform(secret, millis, url, raw);
      matches |= MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given);
    }
    if (!matches) {
      return BridgeVerification.of(Status.MISMATCH, "signature does not match");
    }
    return remember("platform " + signatureHeader.trim(),
        saturatedAdd(millis / 1000, tolerance.toSeconds()) + 1, clock.instant().getEpochSecond())
        ? BridgeVerification.of(Status.VALID, "ok")
        : BridgeVerification.of(Status.REPLAYED, "signature already used");
  }

  private BridgeVerification verifyHotline(
      long timestamp, String signature, byte[] body, String replayScope) {
    long now = clock.instant().getEpochSecond();
    long window = tolerance.toSeconds();
    // Compared without subtracting the timestamp: now - timestamp overflows for timestamps near
    // Long.MIN_VALUE, and Math.abs(Long.MIN_VALUE) is negative, which passed the window.
    if (timestamp < saturatedAdd(now, -window) || timestamp > saturatedAdd(now, window)) {
      return BridgeVerification.of(
          Status.EXPIRED, "timestamp " + timestamp + " is outside now (" + now + ") +- " + window
              + " s");
    }
    String expected = BridgeSignature.sign(secret, timestamp, body == null ? new byte[0] : body);
    boolean matches =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    if (!matches) {
      return BridgeVerification.of(Status.MISMATCH, "signature does not match");
    }
    String key = replayScope == null || replayScope.isEmpty() ? expected
        : expected + " " + replayScope;
    return remember(key, saturatedAdd(timestamp, window), now)
        ? BridgeVerification.of(Status.VALID, "ok")
        : BridgeVerification.of(Status.REPLAYED, "signature already used");
  }

  /** Records a signature; false when it was already recorded and has not yet expired. */
  private synchronized boolean remember(String signature, long expiresAt, long now) {
    purgeExpired(now);
    Long previous = seen.get(signature);
    if (previous != null && previous >= now) {
      return false;
    }
    seen.put(signature, expiresAt);
    if (seen.size() > maxRemembered) {
      Iterator<String> eldest = seen.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return true;
  }

  private void purgeExpired(long now) {
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() < now) {
        it.remove();
      } else {
        return;
      }
    }
  }

  /** How many signatures are currently remembered (for tests and metrics). */
  public synchronized int remembered() {
    return seen.size();
  }

  /** {@code a + b}, clamped to the range of {@code long} instead of wrapping. */
  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
