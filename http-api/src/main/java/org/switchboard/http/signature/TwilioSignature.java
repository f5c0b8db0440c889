package org.switchboard.http.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;

/**
 * Twilio's {@code X-Twilio-Signature}: Base64 of HMAC-SHA1, keyed with the auth token, over the
 * full URL followed by the POST parameters sorted by name (spec §3.1–3.4).
 *
 * <p>Signing uses the URL exactly as given (no port normalisation). Validation accepts the URL as
 * given, with the default port added and with any port removed, like the official validators.
 */
public final class TwilioSignature {
  /** Header carrying the signature. */
  public static final String HEADER = "X-Twilio-Signature";

  /** Query parameter carrying the body hash of JSON webhooks. */
  public static final String BODY_SHA256_PARAM = "bodySHA256";

  private static final Hmacs HMAC_SHA1 = new Hmacs("HmacSHA1");

  private TwilioSignature() {}

  /**
   * The signature of a form POST: {@code url} exactly as sent (query included, no fragment) and the
   * decoded parameters. Names sort in code-unit order; several values of one name are sorted and
   * de-duplicated; a null value counts as empty.
   */
  public static String compute(String authToken, String url, List<Map.Entry<String, String>> params) {
    StringBuilder data = new StringBuilder(url.length() + 32 * params.size()).append(url);
    appendSorted(data, params);
    Mac mac = HMAC_SHA1.keyed(authToken);
    byte[] digest = mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(digest);
  }

  /**
   * Appends {@code namevalue} for each parameter sorted by name and then value (code units), each
   * pair once. One array sort, which costs a single pass when the parameters come sorted (the
   * engine sends them so).
   */
  private static void appendSorted(StringBuilder data, List<Map.Entry<String, String>> params) {
    if (params.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map.Entry<String, String>[] sorted = params.toArray(new Map.Entry[0]);
    Arrays.sort(sorted, TwilioSignature::compare);
    Map.Entry<String, String> previous = null;
    for (Map.Entry<String, String> param : sorted) {
      if (previous == null || compare(previous, param) != 0) {
        data.append(param.getKey()).append(valueOf(param));
      }
      previous = param;
    }
  }

  private static int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
    int byName = a.getKey().compareTo(b.getKey());
    return byName != 0 ? byName : valueOf(a).compareTo(valueOf(b));
  }

  private static String valueOf(Map.Entry<String, String> param) {
    return param.getValue() == null ? "" : param.getValue();
  }

  /** The signature of a GET request (or any request without form parameters): the URL only. */
  public static String compute(String authToken, String url) {
    return compute(authToken, url, List.of());
  }

  /** Lower-case hex SHA-256 of a raw body, the value of the {@code bodySHA256} query parameter. */
  public static String bodySha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * Checks a form POST (or, with no params, a GET) signature in constant time against the URL as
   * given, with the scheme's default port added, and with any port removed.
   */
  public static boolean validate(
      String authToken, String signature, String url, List<Map.Entry<String, String>> params) {
    if (signature == null || authToken == null || url == null) {
      return false;
    }
    byte[] expected = signature.getBytes(StandardCharsets.UTF_8);
    boolean valid = false;
    for (String candidate : urlVariants(url)) {
      byte[] actual = compute(authToken, candidate, params).getBytes(StandardCharsets.UTF_8);
      valid |= MessageDigest.isEqual(expected, actual);
    }
    return valid;
  }

  /**
   * Checks a JSON-body webhook: the signature covers the URL only and the URL's {@code bodySHA256}
   * query parameter must equal the SHA-256 of the raw body.
   */
  public static boolean validateJsonBody(
      String authToken, String signature, String url, byte[] body) {
    String declared = queryParam(url, BODY_SHA256_PARAM);
    if (declared == null || body == null) {
      return false;
    }
    boolean hashMatches =
        MessageDigest.isEqual(
            declared.getBytes(StandardCharsets.UTF_8),
            bodySha256Hex(body).getBytes(StandardCharsets.UTF_8));
    boolean signatureMatches = validate(authToken, signature, url, List.of());
    return hashMatches & signatureMatches;
  }

  /** The URL as given, with the default port added, and with the port removed (deduplicated). */
  static Set<String> urlVariants(String url) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(url);
    UrlParts parts = UrlParts.split(url);
    if (parts != null) {
      variants.add(parts.withDefaultPort());
      variants.add(parts.withoutPort());
    }
    return variants;
  }

  private static String queryParam(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    int hash = url.indexOf('#', q);
    String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** A URL cut around its port: {@code scheme://[userinfo@]host} + {@code [:port]} + rest. */
  private record UrlParts(String scheme, String beforePort, String port, String rest) {

    static UrlParts split(String url) {
      int schemeEnd = url.indexOf("://");
      if (schemeEnd <= 0) {
        return null;
      }
      String scheme = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
      int authorityStart = schemeEnd + 3;
      int authorityEnd = authorityStart;
      while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
        authorityEnd++;
      }
      String authority = url.substring(authorityStart, authorityEnd);
      int hostStart = authority.lastIndexOf('@') + 1;
      int bracket = authority.lastIndexOf(']');
      int colon = authority.lastIndexOf(':');
      boolean hasPort = colon >= hostStart && colon > bracket;
      String hostPart = hasPort ? authority.substring(0, colon) : authority;
      String port = hasPort ? authority.substring(colon + 1) : null;
      return new UrlParts(
          scheme, url.substring(0, authorityStart) + hostPart, port, url.substring(authorityEnd));
    }

    String withDefaultPort() {
      if (port != null) {
        return beforePort + ":" + port + rest;
      }
      String defaultPort = switch (scheme) {
        case "https", "wss" -> "443";
        case "http", "ws" -> "80";
        default -> null;
      };
      return defaultPort == null ? beforePort + rest : beforePort + ":" + defaultPort + rest;
    }

    String withoutPort() {
      return beforePort + rest;
    }
  }
}
