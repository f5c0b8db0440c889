package org.switchboard.http.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.api.CallModel.AsteriskLink;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.CallModel.HealthSnapshot;
import org.switchboard.http.api.CallModel.ServerStatus;
import org.switchboard.http.api.CallModel.SystemStatus;
import org.switchboard.http.api.QueueControl.QueueInfo;
import org.switchboard.http.signature.BridgeVerification;

/**
 * {@code GET /health} (no auth), {@code GET /status} (bridge signature over an empty body, or
 * Basic) and {@code GET /metrics} (Prometheus text, no auth).
 */
public final class StatusRoutes extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(StatusRoutes.class);
  private static final ContentType PROMETHEUS =
      ContentTypes.parse(MetricsRegistry.CONTENT_TYPE);

  private final CallControl calls;
  private final Authenticator auth;
  private final ApiSettings settings;
  private final SwitchboardMetrics metrics;
  private final Clock clock;
  private final Instant started;

  private final java.util.function.Supplier<SipTrunkState> sipTrunk;

  /** Routes over these collaborators; uptime counts from construction; no SIP trunk. */
  public StatusRoutes(CallControl calls, Authenticator auth, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock) {
    this(calls, auth, settings, metrics, clock, () -> SipTrunkState.SKIPPED);
  }

  /** As above, with the state of the SIP trunk made from {@code SIP_*}. */
  public StatusRoutes(CallControl calls, Authenticator auth, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock,
      java.util.function.Supplier<SipTrunkState> sipTrunk) {
    this.sipTrunk = sipTrunk;
    this.calls = calls;
    this.auth = auth;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** The three GET endpoints. */
  public Route route() {
    return concat(
        path("health", () -> get(() -> completeWithFuture(health()))),
        path("status", () -> get(() -> extractRequest(request -> {
          if (auth.hasBridgeHeaders(request) || !auth.basicValid(request)) {
            BridgeVerification verification = auth.verifyBridge(request, new byte[0]);
            if (!verification.valid()) {
              return complete(refused(verification));
            }
          }
          return completeWithFuture(statusBody()
              .thenApply(body -> ApiJson.json("error".equals(body.get("status")) ? 500 : 200,
                  body))
              .exceptionally(error -> {
                ApiException failure = ApiJson.failure(error, LOG, "/status");
                return ApiJson.seedError(failure.status(), failure.code(), failure.getMessage());
              }));
        }))),
        path("metrics", () -> get(() -> complete(HttpResponse.create()
            .withEntity(PROMETHEUS, metrics.registry().scrape().getBytes(
                java.nio.charset.StandardCharsets.UTF_8))))));
  }

  private HttpResponse refused(BridgeVerification verification) {
    String reason = verification.status().name().toLowerCase(java.util.Locale.ROOT);
    metrics.authFailed("status", reason);
    int status = switch (verification.status()) {
      case EXPIRED, REPLAYED -> 403;
      default -> 401;
    };
    return ApiJson.seedError(status, "unauthorized",
        "a valid X-Bridge-Signature or Basic credentials are required");
  }

  /**
   * {@code {status, uptime, uptimeSeconds, activeCalls, channelsUp, hangupsPending, overload:
   * {shedding, shedCalls, ariPending, ariStuck, ariLatencyMs, webhookBacklog}, activeQueues,
   * activeBridges, ringingChannels, sipConfigured, sipConfigSkipped, asterisk: [{serverId, state,
   * since}]}} ({@code channelsUp} to {@code overload} when the engine reports its load, {@link
   * CallModel.Load}):
   * status is {@code ok} when every link is connected, {@code degraded} when some are (200 both),
   * {@code down} (503) when none is, {@code draining} (503: take the node out of rotation) while
   * it drains, and {@code unknown} (503) when the engine did not answer. The counters are the
   * bridge's ({@link CallModel.BridgeCounts}); {@code sipConfigured} and {@code sipConfigSkipped}
   * say whether the trunk of {@code SIP_*} is made on every server, or not wanted ({@link
   * SipTrunkState}).
   */
  private CompletionStage<HttpResponse> health() {
    long uptime = Duration.between(started, clock.instant()).toSeconds();
    CompletableFuture<Optional<BridgeCounts>> counts = counts();
    return ApiJson.attempt(calls::health).toCompletableFuture()
        .orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenCombine(counts, (snapshot, c) -> new Object[] {snapshot, c})
        .handle((both, error) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          if (error != null) {
            LOG.warn("health snapshot unavailable: {}", error.toString());
            body.put("status", "unknown");
            body.put("uptime", uptime);
            body.put("uptimeSeconds", uptime);
            return ApiJson.json(503, body);
          }
          HealthSnapshot snapshot = (HealthSnapshot) both[0];
          @SuppressWarnings("unchecked")
          Optional<BridgeCounts> c = (Optional<BridgeCounts>) both[1];
          String state = overall(snapshot);
          body.put("status", state);
          body.put("uptime", uptime);
          body.put("uptimeSeconds", uptime);
          body.put("activeCalls", snapshot.activeCalls());
          snapshot.load().ifPresent(load -> putLoad(body, load));
          c.ifPresent(n -> putCounts(body, n, false));
          SipTrunkState sip = sipTrunk.get();
          body.put("sipConfigured", sip.configured());
          body.put("sipConfigSkipped", sip.skipped());
          sip.error().ifPresent(e -> body.put("sipConfigError", e));
          body.put("asterisk", snapshot.links().stream().map(StatusRoutes::linkJson).toList());
          return ApiJson.json(state.equals("down") || state.equals("draining") ? 503 : 200, body);
        });
  }

  /** The bridge counters, or empty when the engine could not give them in time. */
  private CompletableFuture<Optional<BridgeCounts>> counts() {
    return ApiJson.attempt(calls::bridgeCounts).toCompletableFuture()
        .orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(Optional::of)
        .exceptionally(error -> {
          LOG.warn("bridge counters unavailable: {}", error.toString());
          return Optional.empty();
        });
  }

  private static void putLoad(Map<String, Object> body, CallModel.Load load) {
    body.put("channelsUp", load.channelsUp());
    body.put("hangupsPending", load.hangupsPending());
    Map<String, Object> overload = new LinkedHashMap<>();
    overload.put("shedding", load.shedding());
    overload.put("shedCalls", load.shedCalls());
    overload.put("ariPending", load.ariPending());
    overload.put("ariStuck", load.ariStuck());
    overload.put("ariLatencyMs", Math.round(load.ariLatencyMs() * 10) / 10.0);
    overload.put("webhookBacklog", load.webhookBacklog());
    overload.put("eventBacklog", load.eventBacklog());
    body.put("overload", overload);
  }

  private static void putCounts(Map<String, Object> body, BridgeCounts counts,
      boolean withCalls) {
    if (withCalls) {
      body.put("activeCalls", counts.activeCalls());
    }
    body.put("activeQueues", counts.activeQueues());
    body.put("activeBridges", counts.activeBridges());
    body.put("ringingChannels", counts.ringingChannels());
  }

  private static String overall(HealthSnapshot snapshot) {
    if (snapshot.draining()) {
      return "draining";
    }
    long connected = snapshot.links().stream().filter(l -> l.state().equals("connected")).count();
    if (connected == snapshot.links().size()) {
      return "ok";
    }
    return connected == 0 ? "down" : "degraded";
  }

  private static Map<String, Object> linkJson(AsteriskLink link) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("serverId", link.serverId());
    json.put("state", link.state());
    json.put("since", link.since().map(Instant::toString).orElse(null));
    json.put("role", link.role());
    link.owner().ifPresent(owner -> json.put("owner", owner));
    return json;
  }

  /**
   * The body of {@code /status} and {@code /command action=status}: the bridge's {@code {status,
   * bridge: {counters}, asterisk: <ARI /asterisk/info of the first server>, channels, bridges}}
   * (channels and bridges summed over the servers that answered), the counters again at the top
   * (as the bridge's {@code action=status}), and per server and per queue details. {@code status}
   * is {@code error} when no configured server could be asked.
   */
  CompletionStage<Map<String, Object>> statusBody() {
    long uptime = Duration.between(started, clock.instant()).toSeconds();
    CompletableFuture<Optional<BridgeCounts>> counts = counts();
    return ApiJson.attempt(calls::status).toCompletableFuture()
        .orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenCombine(counts, (status, c) -> statusJson(status, c, uptime));
  }

  private static Map<String, Object> statusJson(
      SystemStatus status, Optional<BridgeCounts> counts, long uptime) {
    List<ServerStatus> answered = status.servers().stream()
        .filter(s -> s.asteriskInfo().isPresent()).toList();
    boolean failed = !status.servers().isEmpty() && answered.isEmpty();
    Map<String, Object> bridge = new LinkedHashMap<>();
    bridge.put("activeCalls", status.activeCalls());
    counts.ifPresent(c -> putCounts(bridge, c, false));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", !failed);
    body.put("status", failed ? "error" : "ok");
    if (failed) {
      body.put("error", status.servers().stream()
          .map(s -> s.serverId() + ": " + s.info().getOrDefault("error", "unreachable"))
          .collect(java.util.stream.Collectors.joining("; ")));
    }
    body.put("uptime", uptime);
    body.put("uptimeSeconds", uptime);
    body.put("bridge", bridge);
    body.put("asterisk", answered.isEmpty() ? null : answered.get(0).asteriskInfo().get());
    body.put("channels", sum(answered.stream().mapToInt(ServerStatus::channels).toArray()));
    body.put("bridges", sum(answered.stream().mapToInt(ServerStatus::bridges).toArray()));
    body.put("activeCalls", status.activeCalls());
    counts.ifPresent(c -> putCounts(body, c, false));
    body.put("ringingLegs", status.ringingLegs());
    body.put("servers", status.servers().stream().map(StatusRoutes::serverJson).toList());
    body.put("queues", status.queues().stream().map(StatusRoutes::queueJson).toList());
    return body;
  }

  /** The sum of counts, -1 if any is -1 (a list that could not be taken). */
  private static int sum(int[] counts) {
    int total = 0;
    for (int count : counts) {
      if (count < 0) {
        return -1;
      }
      total += count;
    }
    return total;
  }

  private static Map<String, Object> serverJson(ServerStatus server) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("serverId", server.serverId());
    json.put("state", server.state());
    json.put("summary", new LinkedHashMap<>(server.info()));
    json.put("asterisk", server.asteriskInfo().orElse(null));
    json.put("channels", server.channels());
    json.put("bridges", server.bridges());
    return json;
  }

  private static Map<String, Object> queueJson(QueueInfo queue) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sid", queue.sid());
    json.put("name", queue.friendlyName());
    json.put("size", queue.currentSize());
    json.put("maxSize", queue.maxSize());
    json.put("averageWaitSeconds", queue.averageWaitSeconds());
    return json;
  }

  /** A call in the seed endpoints' camelCase shape ({@code /command action=status}). */
  static Object callJson(CallInfo call) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ok", true);
    json.put("callSid", call.sid());
    json.put("parentCallSid", call.parentCallSid().orElse(null));
    json.put("status", call.status().wire());
    json.put("direction", call.direction());
    json.put("from", call.from());
    json.put("to", call.to());
    json.put("startTime", call.startTime().map(Instant::toString).orElse(null));
    json.put("endTime", call.endTime().map(Instant::toString).orElse(null));
    json.put("duration", call.duration().map(Duration::toSeconds).orElse(null));
    return json;
  }
}
