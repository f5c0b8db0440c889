package org.switchboard.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.api.CallModel.CancelRingingResult;
import org.switchboard.http.api.CallModel.HangupResult;
import org.switchboard.http.api.CallModel.RingLeg;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingResult;
import org.switchboard.http.signature.BridgeVerification;

/**
 * The Llamenos bridge's signed commands: {@code POST /ring}, {@code /cancel-ringing}, {@code
 * /hangup} and {@code /command}. The signature is checked over the raw body before anything else
 * (so a refused request has no side effect and is never parsed); then the JSON is read, validated
 * and handed to {@link CallControl}.
 */
public final class SeedRoutes extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(SeedRoutes.class);

  private final CallControl calls;
  private final Authenticator auth;
  private final ApiSettings settings;
  private final SwitchboardMetrics metrics;
  private final StatusRoutes status;
  private final VolunteerUrls volunteers;
  private final DialEndpoints dial;
  private final RecordingAudio recordings;

  /**
   * Routes over these collaborators; {@code status} answers {@code action=status}, {@code
   * recordings} {@code action=getRecordingAudio}; {@code seed} gives the volunteer URLs and dial
   * templates of the bridge's requests.
   */
  public SeedRoutes(CallControl calls, Authenticator auth, ApiSettings settings,
      SwitchboardMetrics metrics, StatusRoutes status, SeedSettings seed,
      RecordingAudio recordings) {
    this.calls = calls;
    this.auth = auth;
    this.settings = settings;
    this.metrics = metrics;
    this.status = status;
    this.volunteers = new VolunteerUrls(seed);
    this.dial = DialEndpoints.of(seed);
    this.recordings = recordings;
  }

  /**
   * The four signed POST endpoints, and the Llamenos Worker's own paths for three of them: {@code
   * /commands/ring}, {@code /commands/hangup}, {@code /commands/cancel-ringing}.
   */
  public Route route() {
    return concat(
        path("ring", () -> signedPost("ring", this::ring)),
        path("cancel-ringing", () -> signedPost("cancel-ringing", this::cancelRinging)),
        path("hangup", () -> signedPost("hangup", this::hangup)),
        path("command", () -> extractMaterializer(mat ->
            signedPost("command", body -> command(body, mat)))),
        pathPrefix("commands", () -> concat(
            path("ring", () -> signedPost("commands/ring", this::ring)),
            path("cancel-ringing", () -> signedPost("commands/cancel-ringing",
                this::cancelRinging)),
            path("hangup", () -> signedPost("commands/hangup", this::hangup)))));
  }

  /**
   * A signed POST: the signature is checked over the raw body, then the JSON object is handed to
   * {@code handler}; its result is answered as 200 JSON, its failure as the seed error shape.
   */
  public Route signedPost(String endpoint, Function<JsonNode, CompletionStage<Object>> handler) {
    return post(() -> extractRequest(request -> RequestBodies.strict(
        settings.maxBodySize(), Duration.ofSeconds(10), SeedRoutes::tooLarge, entity -> {
          byte[] body = entity.getData().toArray();
          BridgeVerification verification = auth.verifyBridge(request, body);
          if (!verification.valid()) {
            return complete(refused(endpoint, verification));
          }
          CompletionStage<Object> result = ApiJson.attempt(() -> {
            JsonNode json = SeedRequests.parseObject(body);
            return handler.apply(json);
          }).toCompletableFuture()
              .orTimeout(settings.askTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
          return completeWithFuture(ApiJson.seedAnswer(result, LOG, "/" + endpoint));
        })));
  }

  /** 413 {@code body-too-large}. */
  static HttpResponse tooLarge(long maxBytes) {
    return ApiJson.seedError(413, "body-too-large",
        "the body is larger than the limit of " + maxBytes + " bytes");
  }

  /** 401 for absent, malformed or wrong signatures; 403 for expired or replayed ones. */
  HttpResponse refused(String endpoint, BridgeVerification verification) {
    String reason = verification.status().name().toLowerCase(java.util.Locale.ROOT);
    metrics.authFailed(endpoint, reason);
    LOG.warn("/{} refused: {} ({})", endpoint, reason, verification.detail());
    int status = switch (verification.status()) {
      case EXPIRED, REPLAYED -> 403;
      default -> 401;
    };
    String message = switch (verification.status()) {
      case MISSING -> "X-Bridge-Signature and X-Bridge-Timestamp are required";
      case MALFORMED -> "malformed X-Bridge-Signature or X-Bridge-Timestamp";
      case EXPIRED -> "X-Bridge-Timestamp is too far from the server's clock";
      case REPLAYED -> "this signature was already used";
      default -> "invalid signature";
    };
    return ApiJson.seedError(status, "signature-" + reason, message);
  }

  private CompletionStage<Object> ring(JsonNode body) {
    RingRequest request = SeedRequests.isEndpointRing(body)
        ? SeedRequests.endpointRing(body, dial)
        : SeedRequests.ring(body);
    return calls.ring(volunteers.complete(request, SeedRequests.origin(body)))
        .thenApply(SeedRoutes::ringAnswer);
  }

  private CompletionStage<Object> cancelRinging(JsonNode body) {
    return calls.cancelRinging(SeedRequests.cancelRinging(body))
        .thenApply(SeedRoutes::cancelAnswer);
  }

  private CompletionStage<Object> hangup(JsonNode body) {
    return calls.hangup(SeedRequests.hangup(body)).thenApply(SeedRoutes::hangupAnswer);
  }

  private CompletionStage<Object> command(JsonNode body, Materializer mat) {
    return switch (SeedRequests.action(body)) {
      case "ring" -> ring(body);
      case "cancelRinging" -> cancelRinging(body);
      case "hangup" -> hangup(body);
      case "getRecordingAudio" -> SeedRequests.recordingName(body)
          .<CompletionStage<Object>>map(name -> recordings.byName(name, mat).thenApply(b -> b))
          .orElseGet(() -> SeedRequests.statusSubject(body)
              .<CompletionStage<Object>>map(sid -> recordings.byCall(sid, mat).thenApply(b -> b))
              .orElseThrow(() -> ApiException.invalidParameter(
                  "recordingSid (or recordingName, or callSid) is required")));
      default -> SeedRequests.statusSubject(body)
          .<CompletionStage<Object>>map(sid -> calls.fetchCall(sid).thenApply(StatusRoutes::callJson))
          .orElseGet(() -> status.statusBody().thenApply(b -> b));
    };
  }

  private static Object ringAnswer(RingResult result) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", true);
    body.put("channelIds", result.legs().stream().map(RingLeg::channelId).toList());
    body.put("callSids", result.legs().stream().map(RingLeg::legSid).toList());
    body.put("legs", result.legs().stream().map(SeedRoutes::legJson).toList());
    return body;
  }

  private static Map<String, Object> legJson(RingLeg leg) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("legSid", leg.legSid());
    json.put("channelId", leg.channelId());
    json.put("target", leg.target());
    json.put("id", leg.targetId());
    return json;
  }

  private static Object cancelAnswer(CancelRingingResult result) {
    return Map.of("ok", true, "canceled", List.copyOf(result.canceled()));
  }

  private static Object hangupAnswer(HangupResult result) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", true);
    body.put("callSid", result.callSid());
    body.put("channelId", result.channelId());
    return body;
  }
}
