package org.switchboard.http.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.switchboard.http.signature.BridgeSignature;

/** A client of a node's HTTP API, as the hotline application and Twilio SDKs call it. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  /** A bridge-signed JSON POST ({@code /ring}, {@code /cancel-ringing}, …). */
  HttpResponse<String> signedPost(String path, String json, String secret) {
    return signedPost(path, json, secret, Instant.now().getEpochSecond());
  }

  /** As {@link #signedPost(String, String, String)}, stamped {@code now} (Unix seconds). */
  HttpResponse<String> signedPost(String path, String json, String secret, long now) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .header(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now))
            .header(BridgeSignature.SIGNATURE_HEADER, BridgeSignature.sign(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  /** A Twilio REST form POST with Basic auth. */
  HttpResponse<String> twilioPost(String path, List<Map.Entry<String, String>> form, String user, String token) {
    String body =
        form.stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", basic(user, token))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> twilioGet(String path, String user, String token) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", basic(user, token)).GET().build());
  }

  HttpResponse<String> get(URI url) {
    return send(HttpRequest.newBuilder(url).GET().build());
  }

  HttpResponse<byte[]> getBytes(URI url) {
    try {
      return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    }
  }

  private static String basic(String user, String token) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
