package org.switchboard.http.api;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.api.RecordingStore.AudioFormat;
import org.switchboard.http.api.RecordingStore.RecordingMedia;

/**
 * {@code GET /recordings/{name}[.wav|.mp3]}: streams a recording's audio to a client holding a
 * valid signed URL ({@link RecordingUrls}), a valid bridge signature over an empty body, or Basic
 * credentials. Anything else gets 401 (absent, malformed or wrong) or 403 (expired) and the store
 * is not touched.
 */
public final class RecordingRoutes extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingRoutes.class);

  private final RecordingStore store;
  private final RecordingUrls urls;
  private final Authenticator auth;
  private final SwitchboardMetrics metrics;

  /** Routes over these collaborators. */
  public RecordingRoutes(RecordingStore store, RecordingUrls urls, Authenticator auth,
      SwitchboardMetrics metrics) {
    this.store = store;
    this.urls = urls;
    this.auth = auth;
    this.metrics = metrics;
  }

  /** The route. */
  public Route route() {
    return pathPrefix("recordings", () -> path(PathMatchers.segment(), rawName ->
        get(() -> extractRequest(request -> completeWithFuture(serve(request, rawName))))));
  }

  private CompletionStage<HttpResponse> serve(HttpRequest request, String rawName) {
    Optional<String> expires = request.getUri().query().get("expires");
    Optional<String> sig = request.getUri().query().get("sig");
    // ?sig= without ?expires= is a llamenos-platform signature (with ?ts=), judged by auth.
    RecordingUrls.Verification signed = urls.verify(rawName, expires.orElse(null),
        expires.isPresent() ? sig.orElse(null) : null);
    if (!signed.valid()) {
      String refusal = otherCredentials(request, signed);
      if (refusal != null) {
        metrics.authFailed("recordings", refusal);
        int status = refusal.equals("expired") || refusal.equals("replayed") ? 403 : 401;
        return java.util.concurrent.CompletableFuture.completedFuture(ApiJson.seedError(status,
            "unauthorized", "a valid signed URL, X-Bridge-Signature or Basic credentials are"
                + " required (" + refusal + ")"));
      }
    }
    if (!RecordingUrls.NAME.matcher(signed.name()).matches()) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          ApiJson.seedError(400, ApiException.INVALID_PARAMETER, "invalid recording name"));
    }
    return media(store, signed.name(), signed.format())
        .exceptionally(error -> {
          ApiException failure = ApiJson.failure(error, LOG, "recording " + signed.name());
          return ApiJson.seedError(failure.status(), failure.code(), failure.getMessage());
        });
  }

  /** Null when the request may proceed without a signed URL, else the refusal reason. */
  private String otherCredentials(HttpRequest request, RecordingUrls.Verification signed) {
    if (signed.status() != RecordingUrls.Status.MISSING) {
      return signed.status().name().toLowerCase(Locale.ROOT);
    }
    return auth.bodilessRefusal(request);
  }

  /**
   * Opens {@code name} in {@code format} and answers it as a streamed response (with
   * Content-Length when the store knows it). Failures are left to the caller to render.
   */
  public static CompletionStage<HttpResponse> media(
      RecordingStore store, String name, AudioFormat format) {
    return ApiJson.attempt(() -> store.openMedia(name, format)).thenApply(RecordingRoutes::entity);
  }

  private static HttpResponse entity(RecordingMedia media) {
    ContentType type = ContentTypes.create(
        org.apache.pekko.http.javadsl.model.MediaTypes.customBinary(
            media.format().mediaType().split("/")[0], media.format().mediaType().split("/")[1],
            false));
    if (media.length().isPresent()) {
      return HttpResponse.create()
          .withEntity(HttpEntities.create(type, media.length().getAsLong(), media.data()));
    }
    return HttpResponse.create().withEntity(HttpEntities.createChunked(type, media.data()));
  }
}
