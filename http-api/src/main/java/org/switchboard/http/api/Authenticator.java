package org.switchboard.http.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.switchboard.http.signature.BridgeSignature;
import org.switchboard.http.signature.BridgeSignatureVerifier;
import org.switchboard.http.signature.BridgeVerification;

/**
 * The API's two credentials: {@code X-Bridge-Signature} (via {@link BridgeSignatureVerifier},
 * constant-time, replay-proof) and HTTP Basic {@code AccountSid:AuthToken} or {@code
 * ApiKeySid:ApiKeySecret}, compared in constant time. Thread-safe.
 */
public final class Authenticator {
  private final ApiSettings settings;
  private final BridgeSignatureVerifier verifier;

  /** Checks against these settings, with this verifier for bridge signatures. */
  public Authenticator(ApiSettings settings, BridgeSignatureVerifier verifier) {
    this.settings = settings;
    this.verifier = verifier;
  }

  /**
   * Verifies the bridge signature of {@code request} against its raw body, in either of the
   * Worker's schemes ({@link BridgeSignatureVerifier#verifyEither}): llamenos-hotline's (hex, over
   * timestamp and body) or llamenos-platform's (base64, over timestamp, URL and body; for a GET
   * also as {@code ?ts=&sig=}, which are then left out of the signed URL).
   *
   * <p>A hotline signature covers neither method nor path, so it is remembered against replay
   * in a scope ({@link #replayScope}): every command with a body shares one (a signature that ran
   * one command runs no other, aliases included: {@code /hangup} and {@code /commands/hangup});
   * read-only requests and bodiless ones are scoped by method and path, because the Worker sends
   * the same body to {@code /check-endpoint} then {@code /provision-endpoint} in one second, and
   * every bodiless request of one second carries the same signature.
   */
  public BridgeVerification verifyBridge(HttpRequest request, byte[] body) {
    Optional<String> timestamp = header(request, BridgeSignature.TIMESTAMP_HEADER)
        .or(() -> platformQuery(request, "ts"));
    Optional<String> signature = header(request, BridgeSignature.SIGNATURE_HEADER)
        .or(() -> platformQuery(request, "sig"));
    return verifier.verifyEither(timestamp.orElse(null), signature.orElse(null), body,
        replayScope(request, body), signedUrls(request));
  }

  /** Paths whose signed body only reads: each keeps a replay scope of its own. */
  private static final java.util.Set<String> READ_ONLY = java.util.Set.of("/check-endpoint");

  /** The replay scope of a hotline-signed request (see {@link #verifyBridge}). */
  static String replayScope(HttpRequest request, byte[] body) {
    String path = request.getUri().path();
    boolean command = body != null && body.length > 0
        && request.method().value().equals("POST") && !READ_ONLY.contains(path);
    return command ? "command" : request.method().value() + " " + path;
  }

  /**
   * The URLs a platform signature may have been made over: the request's own (scheme, {@code
   * Host}, path and query, as the sender addressed it) and the same path and query on the public
   * URL (when a proxy in front rewrote the {@code Host}); {@code ts} and {@code sig} query
   * parameters are left out.
   */
  private List<String> signedUrls(HttpRequest request) {
    org.apache.pekko.http.javadsl.model.Uri uri = request.getUri();
    String query = uri.rawQueryString()
        .map(q -> java.util.Arrays.stream(q.split("&"))
            .filter(p -> !p.startsWith("ts=") && !p.startsWith("sig="))
            .collect(java.util.stream.Collectors.joining("&")))
        .filter(q -> !q.isEmpty())
        .map(q -> "?" + q)
        .orElse("");
    String pathAndQuery = uri.getPathString() + query;
    String own = uri.scheme() + "://" + uri.host().address()
        + (uri.port() > 0 ? ":" + uri.port() : "") + pathAndQuery;
    String base = settings.publicBaseUrl().toString().replaceAll("/+$", "");
    String viaPublic = base + pathAndQuery;
    return own.equals(viaPublic) ? List.of(own) : List.of(own, viaPublic);
  }

  /** A llamenos-platform {@code ?ts=}/{@code ?sig=} of a GET (not a signed recording URL). */
  private static Optional<String> platformQuery(HttpRequest request, String name) {
    var query = request.getUri().query();
    if (!request.method().value().equals("GET") || query.get("expires").isPresent()) {
      return Optional.empty();
    }
    return query.get(name);
  }

  /** True when the request carries either bridge header (so it should be judged by them). */
  public boolean hasBridgeHeaders(HttpRequest request) {
    return header(request, BridgeSignature.SIGNATURE_HEADER).isPresent()
        || header(request, BridgeSignature.TIMESTAMP_HEADER).isPresent()
        || (platformQuery(request, "ts").isPresent() && platformQuery(request, "sig").isPresent());
  }

  /**
   * For a request without a body: null when its bridge headers (if it has any) or else its Basic
   * credentials are valid, otherwise the refusal reason ({@code missing}, {@code mismatch},
   * {@code expired}, {@code replayed}, …).
   */
  public String bodilessRefusal(HttpRequest request) {
    if (hasBridgeHeaders(request)) {
      BridgeVerification bridge = verifyBridge(request, new byte[0]);
      return bridge.valid() ? null : bridge.status().name().toLowerCase(java.util.Locale.ROOT);
    }
    return basicValid(request) ? null : "missing";
  }

  /** True when the request has valid Basic credentials. */
  public boolean basicValid(HttpRequest request) {
    Optional<String> authorization = header(request, "Authorization");
    if (authorization.isEmpty()) {
      return false;
    }
    String value = authorization.get().trim();
    if (value.length() < 6 || !value.substring(0, 6).equalsIgnoreCase("basic ")) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    boolean account = !settings.authToken().isEmpty()
        & equal(user, settings.accountSid()) & equal(password, settings.authToken());
    boolean apiKey = settings.apiKeySid().isPresent() && settings.apiKeySecret().isPresent()
        && (equal(user, settings.apiKeySid().get())
            & equal(password, settings.apiKeySecret().get()));
    return account | apiKey;
  }

  private static boolean equal(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(h -> h.value());
  }
}
