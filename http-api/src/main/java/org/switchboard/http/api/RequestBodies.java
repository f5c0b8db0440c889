package org.switchboard.http.api;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.ExceptionWithErrorInfo;

/**
 * Reads a request body in full, with a size limit answered by 413 in the endpoint's own error
 * shape. Pekko's {@code extractStrictEntity} alone fails an oversize body with an {@code
 * EntityStreamException} or {@code IllegalRequestException} ("Request too large") that its
 * default handler turns into a plain-text 400.
 */
public final class RequestBodies {
  /** How Pekko sums up an entity over its limit ({@code ToStrict}, {@code HttpEntity}). */
  private static final String TOO_LARGE = "Request too large";

  private RequestBodies() {}

  /**
   * The body, read within {@code timeout}, handed to {@code inner}; a body over {@code maxBytes}
   * (declared or counted) is answered with {@code tooLarge.apply(maxBytes)} without being read
   * further.
   */
  public static Route strict(long maxBytes, Duration timeout, LongFunction<HttpResponse> tooLarge,
      Function<HttpEntity.Strict, Route> inner) {
    return Directives.extractRequestEntity(entity -> {
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > maxBytes) {
        return Directives.complete(tooLarge.apply(maxBytes));
      }
      ExceptionHandler overLimit = ExceptionHandler.newBuilder()
          .match(EntityStreamSizeException.class, e -> Directives.complete(tooLarge.apply(maxBytes)))
          .match(ExceptionWithErrorInfo.class, e -> TOO_LARGE.equals(e.info().summary()),
              e -> Directives.complete(tooLarge.apply(maxBytes)))
          .build();
      return Directives.handleExceptions(overLimit,
          () -> Directives.extractStrictEntity(timeout, maxBytes, inner));
    });
  }
}
