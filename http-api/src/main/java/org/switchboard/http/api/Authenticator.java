package org.switchboard.http.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
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
   * Verifies the bridge headers of {@code request} against its raw body. The signature is
   * remembered against replay together with the request's method and path (see {@link
   * BridgeSignatureVerifier#verify(String, String, byte[], String)}): it covers neither, and the
   * Worker sends the same body to two paths in one second ({@code /check-endpoint} then {@code
   * /provision-endpoint}), or two bodiless GETs.
   */
  public BridgeVerification verifyBridge(HttpRequest request, byte[] body) {
    String scope = request.method().value() + " " + request.getUri().path();
    return verifier.verify(
        header(request, BridgeSignature.TIMESTAMP_HEADER).orElse(null),
        header(request, BridgeSignature.SIGNATURE_HEADER).orElse(null),
        body,
        scope);
  }

  /** True when the request carries either bridge header (so it should be judged by them). */
  public boolean hasBridgeHeaders(HttpRequest request) {
    return header(request, BridgeSignature.SIGNATURE_HEADER).isPresent()
        || header(request, BridgeSignature.TIMESTAMP_HEADER).isPresent();
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
