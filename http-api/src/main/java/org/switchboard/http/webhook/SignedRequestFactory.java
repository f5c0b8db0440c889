package org.switchboard.http.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.signature.BridgeSignature;
import org.switchboard.http.signature.TwilioSignature;

/**
 * Builds the HTTP request of one hop: the form body (POST) or query (GET, appended once to the
 * URL's own query), the signatures over exactly what is sent, and Twilio's other headers.
 */
final class SignedRequestFactory {
  /** Twilio's idempotency header; the same token is sent on every retry of one request. */
  static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";

  private static final int MAX_PARSED_URLS = 256;

  private static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

  private final WebhookSettings settings;
  private final CallCookies cookies;
  private final Clock clock;
  private final Map.Entry<String, String> userAgent;
  private final ParsedUrls parsedUrls = new ParsedUrls(MAX_PARSED_URLS);

  SignedRequestFactory(WebhookSettings settings, CallCookies cookies, Clock clock) {
    this.settings = settings;
    this.cookies = cookies;
    this.clock = clock;
    this.userAgent = Map.entry("User-Agent", settings.userAgent());
  }

  /**
   * A request ready to send: the URL it is sent to (the one that was signed), the method, the
   * headers in order, and the body (empty for GET).
   */
  record Prepared(URI sentUrl, String method, List<Map.Entry<String, String>> headers,
      byte[] body) {}

  /**
   * Builds a signed request.
   *
   * @param url the target URL without fragment
   * @throws IllegalArgumentException when the URL cannot be sent
   */
  Prepared prepare(
      String callSid, String url, Method method, List<Map.Entry<String, String>> params,
      String idempotencyToken) {
    String sentUrl;
    byte[] body;
    String signature;
    if (method == Method.GET) {
      sentUrl = FormEncoding.appendQuery(url, params);
      body = new byte[0];
      signature = TwilioSignature.compute(settings.authToken(), sentUrl);
    } else {
      sentUrl = url;
      body = FormEncoding.encode(params).getBytes(StandardCharsets.UTF_8);
      signature = TwilioSignature.compute(settings.authToken(), sentUrl, params);
    }
    // A POST goes to the configured URL again and again; a GET with parameters carries this
    // request's own query and is not worth keeping.
    ParsedUrls.Parsed parsed = method == Method.GET && !params.isEmpty()
        ? ParsedUrls.parse(sentUrl)
        : parsedUrls.get(sentUrl);
    URI uri = parsed.uri();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(userAgent);
    headers.add(Map.entry(TwilioSignature.HEADER, signature));
    headers.add(Map.entry(IDEMPOTENCY_HEADER, idempotencyToken));
    if (settings.signatureMode() == SignatureMode.TWILIO_AND_BRIDGE) {
      long now = clock.instant().getEpochSecond();
      headers.add(Map.entry(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now)));
      headers.add(Map.entry(
          BridgeSignature.SIGNATURE_HEADER, BridgeSignature.sign(settings.bridgeSecret(), now, body)));
    } else if (settings.signatureMode() == SignatureMode.TWILIO_AND_BRIDGE_PLATFORM) {
      long now = clock.millis();
      headers.add(Map.entry(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now)));
      headers.add(Map.entry(BridgeSignature.SIGNATURE_HEADER,
          BridgeSignature.signPlatform(settings.bridgeSecret(), now, sentUrl, body)));
    }
    cookies.cookieHeader(callSid, uri).ifPresent(c -> headers.add(Map.entry("Cookie", c)));
    if (method == Method.POST) {
      headers.add(Map.entry("Content-Type", FORM));
    }
    return new Prepared(uri, method.name(), headers, body);
  }
}
