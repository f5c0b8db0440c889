package org.switchboard.engine.port;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Requests to the TwiML application. Parameters are the decoded form fields, in the order the
 * engine built them; the adapter form-encodes them, signs the exact URL and body it sends, applies
 * connection overrides ({@code #ct=…&rt=…&tt=…&rc=…}) and follows up to 10 redirects.
 */
public interface WebhookPort {

  /**
   * Fetches a TwiML document (initial request, action, Redirect, waitUrl, …). Completes with the
   * response whatever its HTTP status; completes exceptionally with {@link WebhookException} when
   * no response could be had (connect failure, timeout, too many redirects).
   */
  CompletionStage<WebhookResponse> fetch(WebhookRequest request);

  /**
   * Sends a status or recording callback. Delivery is at least once: the request is written to the
   * durable outbox before this returns and retried with backoff; its response never affects the
   * call.
   */
  void notify(WebhookRequest request);

  /** One request. {@code callSid} and {@code purpose} are for logs and metrics only. */
  record WebhookRequest(
      URI url, Method method, List<Map.Entry<String, String>> params, String callSid, String purpose) {}

  /** The application's answer; {@code finalUrl} is the URL after redirects. */
  record WebhookResponse(URI finalUrl, int status, String contentType, byte[] body) {}

  /** No usable HTTP response. */
  final class WebhookException extends RuntimeException {
    /** Twilio's error code for a request that got no usable response (the default). */
    public static final int HTTP_RETRIEVAL_FAILURE = 11200;

    /** Twilio's error code for a connection refused, failed or timed out. */
    public static final int HTTP_CONNECTION_FAILURE = 11205;

    private final URI url;
    private final int errorCode;

    public WebhookException(URI url, String message, Throwable cause) {
      this(url, message, cause, HTTP_RETRIEVAL_FAILURE);
    }

    /** A failure reported to the fallback URL with Twilio's {@code errorCode}. */
    public WebhookException(URI url, String message, Throwable cause, int errorCode) {
      super(message, cause);
      this.url = url;
      this.errorCode = errorCode;
    }

    public URI url() {
      return url;
    }

    /** The Twilio error code a fallback request reports ({@code ErrorCode}). */
    public int errorCode() {
      return errorCode;
    }
  }
}
