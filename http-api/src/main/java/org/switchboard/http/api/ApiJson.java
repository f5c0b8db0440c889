package org.switchboard.http.api;

import org.switchboard.engine.port.Failures;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;

/** JSON bodies of the API: one shared mapper and the seed endpoints' error shape. */
public final class ApiJson {
  /** Shared, thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiJson() {}

  /** A JSON response. */
  public static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(StatusCodes.get(status))
          .withEntity(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  /** The seed endpoints' error: {@code {"ok":false,"error":code,"message":message}}. */
  public static HttpResponse seedError(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", false);
    body.put("error", code);
    body.put("message", message);
    return json(status, body);
  }

  /**
   * Maps a failed engine call to an {@link ApiException}: itself when it is one, 504 {@code
   * timeout} for a timeout, else 500 {@code internal} (logged with its stack trace).
   */
  public static ApiException failure(Throwable error, Logger log, String what) {
    ApiException api = ApiException.unwrap(error);
    if (api != null) {
      log.debug("{} refused: {} {}", what, api.code(), api.getMessage());
      return api;
    }
    Throwable cause = Failures.cause(error);
    if (cause instanceof TimeoutException) {
      log.warn("{} timed out", what);
      return new ApiException(504, ApiException.TIMEOUT, "the engine did not answer in time");
    }
    log.error("{} failed", what, cause);
    return new ApiException(500, ApiException.INTERNAL, "internal error");
  }

  /**
   * The seed endpoints' answer to {@code result}: 200 with its JSON, or the seed error shape of
   * {@link #failure} (logged as {@code what}).
   */
  public static CompletionStage<HttpResponse> seedAnswer(
      CompletionStage<?> result, Logger log, String what) {
    return result.handle((body, error) -> {
      if (error == null) {
        return json(200, body);
      }
      ApiException failure = failure(error, log, what);
      return seedError(failure.status(), failure.code(), failure.getMessage());
    });
  }

  /** Runs {@code action}, turning a synchronous throw into a failed stage. */
  public static <T> CompletionStage<T> attempt(java.util.function.Supplier<CompletionStage<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }
}
