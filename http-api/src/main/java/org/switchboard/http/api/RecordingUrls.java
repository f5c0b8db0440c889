package org.switchboard.http.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.switchboard.http.api.RecordingStore.AudioFormat;

/**
 * Short-lived signed recording URLs: {@code {base}/recordings/{name}?expires={epoch s}&sig={hex}}
 * where {@code sig} is the lower-case hex HMAC-SHA256, keyed with the signing key, of {@code
 * "{name}\n{expires}"}. The engine hands {@link #recordingUrl(String)} to applications as {@code
 * RecordingUrl}; Twilio apps append {@code .wav} or {@code .mp3} to it, which lands after the
 * signature: {@link #verify} accepts that suffix on the {@code sig} value (or on the name) and
 * reports the format asked for. Comparison is constant-time. Thread-safe.
 */
public final class RecordingUrls {
  /** Names that may appear in a recording URL (RecordingSids and Asterisk recording names). */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final long EXPIRY_STEP_SECONDS = 60;

  private final String base;
  private final byte[] key;
  private final Duration ttl;
  private final Clock clock;

  /** Outcome of checking a signed URL. */
  public enum Status {
    VALID,
    MISSING,
    MALFORMED,
    EXPIRED,
    MISMATCH
  }

  /** Result of {@link #verify}: the status, the name without suffix and the format asked for. */
  public record Verification(Status status, String name, AudioFormat format) {
    /** True when the URL may be served. */
    public boolean valid() {
      return status == Status.VALID;
    }
  }

  /** A name split from its {@code .wav}/{@code .mp3} suffix (WAV when there is none). */
  public record NameAndFormat(String name, AudioFormat format) {}

  /**
   * @param publicBaseUrl how applications reach this server, e.g. {@code https://sb.example.org}
   * @param signingKey HMAC key (non-empty)
   * @param ttl how long a URL stays valid
   * @param clock time source
   */
  public RecordingUrls(URI publicBaseUrl, String signingKey, Duration ttl, Clock clock) {
    if (signingKey == null || signingKey.isEmpty()) {
      throw new IllegalArgumentException("recording signing key must not be empty");
    }
    String text = publicBaseUrl.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.key = signingKey.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The URL handed to applications for this recording, valid for at least the configured time.
   * The expiry is rounded up to a whole minute so that the URLs issued for one recording moments
   * apart (the action's {@code RecordingUrl} and the recording status callback's) are the same
   * string, as Twilio's are.
   */
  public URI recordingUrl(String recordingSid) {
    long earliest = clock.instant().getEpochSecond() + ttl.toSeconds();
    long steps = Math.floorDiv(earliest + EXPIRY_STEP_SECONDS - 1, EXPIRY_STEP_SECONDS);
    return signedUrl(recordingSid, steps * EXPIRY_STEP_SECONDS);
  }

  /** A URL for {@code name} that expires at {@code expiresEpochSeconds}. */
  public URI signedUrl(String name, long expiresEpochSeconds) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a recording name: " + name);
    }
    return URI.create(
        base + "/recordings/" + name + "?expires=" + expiresEpochSeconds + "&sig="
            + sign(name, expiresEpochSeconds));
  }

  /**
   * Checks a request for {@code /recordings/{rawName}?expires=…&sig=…}; either parameter may be
   * null when absent. A {@code .wav}/{@code .mp3} suffix is taken from the name or, when the app
   * appended it to the whole URL, from the signature.
   */
  public Verification verify(String rawName, String expires, String sig) {
    NameAndFormat split = splitSuffix(rawName);
    AudioFormat format = split.format();
    String signature = sig;
    if (signature != null) {
      NameAndFormat sigSplit = splitSuffix(signature);
      if (!sigSplit.name().equals(signature)) {
        signature = sigSplit.name();
        format = sigSplit.format();
      }
    }
    String name = split.name();
    if (expires == null || signature == null || expires.isBlank() || signature.isBlank()) {
      return new Verification(Status.MISSING, name, format);
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires.trim());
    } catch (NumberFormatException e) {
      return new Verification(Status.MALFORMED, name, format);
    }
    String given = signature.trim().toLowerCase(Locale.ROOT);
    if (!HEX_64.matcher(given).matches() || !NAME.matcher(name).matches()) {
      return new Verification(Status.MALFORMED, name, format);
    }
    boolean matches =
        MessageDigest.isEqual(
            sign(name, expiresAt).getBytes(StandardCharsets.US_ASCII),
            given.getBytes(StandardCharsets.US_ASCII));
    if (!matches) {
      return new Verification(Status.MISMATCH, name, format);
    }
    if (clock.instant().getEpochSecond() > expiresAt) {
      return new Verification(Status.EXPIRED, name, format);
    }
    return new Verification(Status.VALID, name, format);
  }

  /** Splits a {@code .wav}/{@code .mp3} suffix (case-insensitive) off a name. */
  public static NameAndFormat splitSuffix(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (AudioFormat format : AudioFormat.values()) {
      if (lower.endsWith(format.suffix()) && name.length() > format.suffix().length()) {
        return new NameAndFormat(
            name.substring(0, name.length() - format.suffix().length()), format);
      }
    }
    return new NameAndFormat(name, AudioFormat.WAV);
  }

  /** The signing key's MAC of a name and expiry, for tests of foreign URLs. */
  String sign(String name, long expiresEpochSeconds) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      byte[] digest =
          mac.doFinal((name + "\n" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The base URL applications use, without a trailing slash. */
  public String baseUrl() {
    return base;
  }
}
