package org.switchboard.http.twilio;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.ApiJson;

/**
 * Twilio's REST error body {@code {code, message, more_info, status}} and the codes this API uses.
 * Codes without a specific Twilio meaning follow Twilio's generic {@code 20000 + HTTP status}
 * pattern (20404, 20500…).
 */
public final class TwilioError {
  /** Authentication failed (401). */
  public static final int AUTHENTICATE = 20003;
  /** HTTP method not allowed on the resource (405). */
  public static final int METHOD_NOT_ALLOWED = 20004;
  /** Unknown resource (404). */
  public static final int NOT_FOUND = 20404;
  /** A generic bad request (paging, encoding). */
  public static final int BAD_REQUEST = 20400;
  /** Calls resource: a parameter is invalid (no more specific code applies). */
  public static final int CALLS_RESOURCE = 21200;
  /** No {@code To} on call creation. */
  public static final int TO_REQUIRED = 21201;
  /** {@code To} is not a phone number, {@code client:} identity or SIP URI. */
  public static final int INVALID_TO = 21211;
  /** {@code From} is not a phone number, {@code client:} identity or SIP URI. */
  public static final int INVALID_FROM = 21212;
  /** {@code Url} invalid or missing (and no {@code Twiml}). */
  public static final int INVALID_URL = 21205;
  /** {@code Method} (or another method parameter) is neither GET nor POST. */
  public static final int INVALID_METHOD = 21209;
  /** No {@code From} on call creation. */
  public static final int FROM_REQUIRED = 21213;
  /** The call is not in a state that allows the operation. */
  public static final int INVALID_CALL_STATE = 21220;

  private TwilioError() {}

  /** An error response. */
  public static HttpResponse response(int status, int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    body.put("status", status);
    return ApiJson.json(status, body);
  }

  /** 401 with {@code WWW-Authenticate}, code 20003. */
  public static HttpResponse unauthorized() {
    return response(401, AUTHENTICATE, "Authenticate")
        .addHeader(RawHeader.create("WWW-Authenticate", "Basic realm=\"Twilio API\""));
  }

  /** 404 code 20404 in Twilio's wording. */
  public static HttpResponse notFound(String path) {
    return response(404, NOT_FOUND, "The requested resource " + path + " was not found");
  }

  /** 413 for a body over {@code maxBytes}, in the generic {@code 20000 + status} code. */
  public static HttpResponse tooLarge(long maxBytes) {
    return response(413, 20413,
        "The request body is larger than the limit of " + maxBytes + " bytes");
  }

  /** 405 code 20004 with the allowed methods. */
  public static HttpResponse methodNotAllowed(String allowed) {
    return response(405, METHOD_NOT_ALLOWED, "Method not allowed")
        .addHeader(RawHeader.create("Allow", allowed));
  }

  /**
   * The response for an engine failure: its status, and a code from its {@link
   * ApiException#code()} ({@code invalidParameterCode} for invalid parameters).
   */
  public static HttpResponse of(ApiException error, int invalidParameterCode) {
    int code = switch (error.code()) {
      case ApiException.NOT_FOUND -> NOT_FOUND;
      case ApiException.INVALID_CALL_STATE -> INVALID_CALL_STATE;
      case ApiException.INVALID_PARAMETER -> invalidParameterCode;
      default -> 20000 + error.status();
    };
    return response(error.status(), code, error.getMessage());
  }

  /** A parameter error to throw from request parsing. */
  public static TwilioException bad(int code, String message) {
    return new TwilioException(400, code, message);
  }

  /** An error that already carries its Twilio code. */
  public static final class TwilioException extends RuntimeException {
    private final int status;
    private final int code;

    TwilioException(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    /** The response it stands for. */
    public HttpResponse response() {
      return TwilioError.response(status, code, getMessage());
    }
  }
}
