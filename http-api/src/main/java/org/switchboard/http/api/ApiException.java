package org.switchboard.http.api;

/**
 * The one failure type the HTTP layer understands from {@link CallControl}, {@link QueueControl}
 * and {@link RecordingStore}: an HTTP status, a stable machine-readable {@code code} and a message
 * safe to show to the client. Implementations complete their futures exceptionally with it (a
 * {@link java.util.concurrent.CompletionException} wrapping it is unwrapped); any other exception
 * becomes a 500 with a generic message and is logged.
 *
 * <p>The Twilio routes translate {@link #code()} into Twilio's numeric error codes (see {@code
 * TwilioError}); the seed routes answer {@code {"ok":false,"error":code,"message":message}}.
 */
public final class ApiException extends RuntimeException {
  /** Unknown call, leg, channel, queue, member or recording (404). */
  public static final String NOT_FOUND = "not-found";
  /** A parameter is missing or invalid (400). */
  public static final String INVALID_PARAMETER = "invalid-parameter";
  /** The call is not in a state that allows the operation, e.g. it already ended (400). */
  public static final String INVALID_CALL_STATE = "invalid-call-state";
  /** The queue is full (400). */
  public static final String QUEUE_FULL = "queue-full";
  /** The recording exists but cannot be served in the requested format (406 or 415). */
  public static final String UNSUPPORTED_FORMAT = "unsupported-format";
  /** The Asterisk server that would carry the operation is unreachable (503). */
  public static final String UNAVAILABLE = "unavailable";
  /** The operation did not finish in time (504). */
  public static final String TIMEOUT = "timeout";
  /** Anything else (500). */
  public static final String INTERNAL = "internal";

  private final int status;
  private final String code;

  /**
   * @param status the HTTP status to answer
   * @param code one of the constants of this class (other values are passed through as-is)
   * @param message a human-readable explanation, without secrets
   */
  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** 404 {@link #NOT_FOUND}. */
  public static ApiException notFound(String message) {
    return new ApiException(404, NOT_FOUND, message);
  }

  /** 400 {@link #INVALID_PARAMETER}. */
  public static ApiException invalidParameter(String message) {
    return new ApiException(400, INVALID_PARAMETER, message);
  }

  /** 400 {@link #INVALID_CALL_STATE}. */
  public static ApiException invalidCallState(String message) {
    return new ApiException(400, INVALID_CALL_STATE, message);
  }

  /** 503 {@link #UNAVAILABLE}. */
  public static ApiException unavailable(String message) {
    return new ApiException(503, UNAVAILABLE, message);
  }

  /** The HTTP status to answer. */
  public int status() {
    return status;
  }

  /** The machine-readable code. */
  public String code() {
    return code;
  }

  /** The client-safe message. */
  @Override
  public String getMessage() {
    return super.getMessage();
  }

  /** The ApiException behind {@code error} (unwrapping completion wrappers), or null. */
  public static ApiException unwrap(Throwable error) {
    Throwable current = error;
    while (current != null) {
      if (current instanceof ApiException api) {
        return api;
      }
      if (current.getCause() == current) {
        return null;
      }
      current = current.getCause();
    }
    return null;
  }
}
