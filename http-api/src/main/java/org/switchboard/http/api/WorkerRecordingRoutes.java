package org.switchboard.http.api;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording paths the Llamenos Worker calls on the bridge, which the bridge itself never
 * served: {@code GET /recordings/call/{callSid}} and {@code GET /recordings/{sid}} answering JSON
 * {@code {audio: <base64>}} (the latter only for a bridge-signed request asking for JSON, by
 * {@code Accept} or {@code Content-Type: application/json} as the Worker sends them; otherwise
 * {@link RecordingRoutes} streams the audio), and {@code DELETE /recordings/{sid}}. Each needs an {@code
 * X-Bridge-Signature} over the empty body or Basic credentials; refused requests touch nothing.
 */
public final class WorkerRecordingRoutes extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRecordingRoutes.class);

  private final RecordingStore store;
  private final RecordingAudio audio;
  private final Authenticator auth;
  private final SwitchboardMetrics metrics;

  public WorkerRecordingRoutes(RecordingStore store, RecordingAudio audio, Authenticator auth,
      SwitchboardMetrics metrics) {
    this.store = store;
    this.audio = audio;
    this.auth = auth;
    this.metrics = metrics;
  }

  /** The three routes; a GET of a recording not asked for as JSON falls through. */
  public Route route() {
    return pathPrefix("recordings", () -> concat(
        path(PathMatchers.segment("call").slash(PathMatchers.segment()), callSid ->
            get(() -> extractRequest(request -> extractMaterializer(mat ->
                authenticated(request, "recordings/call",
                    () -> audio.byCall(callSid, mat).thenApply(b -> (Object) b)))))),
        path(PathMatchers.segment(), sid -> concat(
            get(() -> extractRequest(request -> workerWantsJson(request)
                ? extractMaterializer(mat -> authenticated(request, "recordings",
                    () -> audio.byName(sid, mat).thenApply(b -> (Object) b)))
                : reject())),
            delete(() -> extractRequest(request -> authenticated(request, "recordings-delete",
                () -> store.deleteRecording(sid)
                    .thenApply(v -> (Object) Map.of("ok", true, "recordingSid", sid)))))))));
  }

  /**
   * The Worker's request for JSON audio: bridge-signed, no signed-URL parameters, and JSON
   * declared as its (empty) body's type or accepted. Anyone else (an application downloading a
   * signed {@code RecordingUrl}, whose HTTP client may well accept JSON) gets the audio.
   */
  boolean workerWantsJson(HttpRequest request) {
    return auth.hasBridgeHeaders(request) && request.getUri().query().get("sig").isEmpty()
        && wantsJson(request);
  }

  /** JSON when the client accepts it explicitly or declares its (empty) body as JSON. */
  static boolean wantsJson(HttpRequest request) {
    boolean declared = request.entity().getContentType().mediaType()
        .equals(MediaTypes.APPLICATION_JSON);
    boolean accepts = request.getHeader("Accept")
        .map(h -> h.value().toLowerCase(Locale.ROOT).contains("application/json"))
        .orElse(false);
    return declared || accepts;
  }

  private Route authenticated(HttpRequest request, String endpoint,
      Supplier<CompletionStage<Object>> action) {
    String refusal = auth.bodilessRefusal(request);
    if (refusal != null) {
      metrics.authFailed(endpoint, refusal);
      LOG.warn("/{} refused: {}", endpoint, refusal);
      int status = refusal.equals("expired") || refusal.equals("replayed") ? 403 : 401;
      return complete(ApiJson.seedError(status, "unauthorized",
          "a valid X-Bridge-Signature or Basic credentials are required (" + refusal + ")"));
    }
    return completeWithFuture(ApiJson.seedAnswer(ApiJson.attempt(action), LOG, "/" + endpoint));
  }
}
