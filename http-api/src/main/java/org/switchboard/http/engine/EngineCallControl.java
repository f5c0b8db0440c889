package org.switchboard.http.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.http.cluster.ClusterLinks;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.hotline.LiveRecordings;
import org.switchboard.engine.hotline.OutboundCall;
import org.switchboard.engine.hotline.RingSpec;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.call.CallParams;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.store.HistoryStore;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.CallControl;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.CallFilter;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.CallModel.CallInstructions;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.CancelRingingResult;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.CallModel.EndMode;
import org.switchboard.http.api.CallModel.FetchUrl;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.HangupResult;
import org.switchboard.http.api.CallModel;
import org.switchboard.http.api.CallModel.HealthSnapshot;
import org.switchboard.http.api.CallModel.InlineTwiml;
import org.switchboard.http.api.CallModel.RingLeg;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingResult;
import org.switchboard.http.api.CallModel.SystemStatus;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.QueueControl;

/**
 * The HTTP API's {@link CallControl} over the engine's {@link CallOperations} and the ARI links:
 * maps the API's requests to engine operations and engine snapshots to the Twilio call shape, and
 * engine failures to {@link ApiException}s. What {@code /health} and {@code /status} report is
 * {@link NodeStatusReport}'s.
 */
public final class EngineCallControl implements CallControl {
  private static final int DEFAULT_RING_TIMEOUT = 30;

  private final CallOperations ops;
  private final AriConnector ari;
  private final HistoryStore store;
  private final NodeStatusReport report;

  /**
   * Over a connector that holds every server's socket itself.
   *
   * @param store where ended calls are kept beyond this node's memory ({@code switchboard.store})
   */
  public EngineCallControl(
      CallOperations ops, AriConnector ari, QueueControl queues, HistoryStore store) {
    this(ops, ari, queues, store, Optional::empty, null);
  }

  /**
   * As above, with the node's load ({@code OverloadGuard}) reported in the health snapshot, and
   * link states from {@code links} (which node of the cluster holds each server's socket; {@code
   * null}: this node's connector holds them all).
   */
  public EngineCallControl(CallOperations ops, AriConnector ari, QueueControl queues,
      HistoryStore store, java.util.function.Supplier<Optional<CallModel.Load>> load,
      ClusterLinks links) {
    this.ops = ops;
    this.ari = ari;
    this.store = store;
    this.report = new NodeStatusReport(ops, ari, queues, load, links);
  }

  @Override
  public CompletionStage<HealthSnapshot> health() {
    return report.health();
  }

  @Override
  public CompletionStage<BridgeCounts> bridgeCounts() {
    return report.bridgeCounts();
  }

  @Override
  public CompletionStage<SystemStatus> status() {
    return report.status();
  }

  @Override
  public CompletionStage<RingResult> ring(RingRequest request) {
    List<RingSpec.Target> targets = new ArrayList<>();
    for (var t : request.targets()) {
      // One leg per endpoint the person has, as the bridge rang both their phone and browser.
      t.phone().ifPresent(phone -> targets.add(new RingSpec.Target(t.id(), Optional.of(phone),
          Optional.empty(), Optional.empty(), t.answerUrl(), t.statusCallback())));
      t.sipUri().ifPresent(sip -> targets.add(new RingSpec.Target(t.id(), Optional.empty(),
          Optional.of(sip), Optional.empty(), t.answerUrl(), t.statusCallback())));
      t.browserIdentity().ifPresent(browser -> targets.add(new RingSpec.Target(t.id(),
          Optional.empty(), Optional.empty(), Optional.of(browser), t.answerUrl(),
          t.statusCallback())));
    }
    if (targets.isEmpty()) {
      return CompletableFuture.failedFuture(
          ApiException.invalidParameter("no volunteer has a phone, sipUri or browserIdentity"));
    }
    Optional<java.net.URI> answerUrl = request.answerUrl();
    if (answerUrl.isEmpty() && targets.stream().anyMatch(t -> t.answerUrl().isEmpty())) {
      return CompletableFuture.failedFuture(ApiException.invalidParameter("answerUrl is required:"
          + " no Worker URL is configured (switchboard.seed.worker-url) and the request has no"
          + " callbackUrl"));
    }
    RingSpec ring =
        new RingSpec(
            request.parentCallSid(),
            request.callerNumber(),
            targets,
            request.timeout().map(d -> (int) Math.max(1, d.toSeconds())).orElse(DEFAULT_RING_TIMEOUT),
            answerUrl.orElseGet(() -> targets.get(0).answerUrl().orElseThrow()),
            Method.POST,
            request.statusCallback(),
            List.of("initiated", "ringing", "answered", "completed"),
            request.machineDetection());
    return ops.ring(ring)
        .thenApply(legs -> {
          List<RingLeg> answered = new ArrayList<>();
          for (int i = 0; i < legs.size(); i++) {
            RingSpec.Leg l = legs.get(i);
            answered.add(new RingLeg(l.legSid(), l.channelId(), l.target(),
                targets.get(i).address()));
          }
          return new RingResult(answered);
        })
        .exceptionally(
            e -> {
              throw translate(e, "call " + request.parentCallSid());
            });
  }

  @Override
  public CompletionStage<CancelRingingResult> cancelRinging(CancelRingingRequest request) {
    return ops.cancelRinging(request.ids(), request.except()).thenApply(CancelRingingResult::new);
  }

  @Override
  public CompletionStage<HangupResult> hangup(HangupRequest request) {
    return resolve(request.id())
        .thenCompose(sid -> ops.hangup(sid, "api"))
        .thenApply(s -> new HangupResult(s.callSid(), s.channel().channelId()))
        .exceptionally(
            e -> {
              throw translate(e, request.id());
            });
  }

  /** A CallSid as given, or the CallSid of a channel id on any configured server that is live. */
  private CompletionStage<String> resolve(String id) {
    if (CallSid.isCallSid(id)) {
      return CompletableFuture.completedFuture(id);
    }
    List<String> candidates =
        ari.links().keySet().stream().map(server -> CallSid.forChannel(new ChannelRef(server, id))).toList();
    CompletableFuture<String> found = CompletableFuture.completedFuture(null);
    for (String sid : candidates) {
      found =
          found.thenCompose(
              hit ->
                  hit != null
                      ? CompletableFuture.completedFuture(hit)
                      : ops.snapshot(sid).toCompletableFuture()
                          .thenApply(s -> s.filter(x -> x.endTime().isEmpty()).map(CallSnapshot::callSid).orElse(null))
                          .exceptionally(e -> null));
    }
    return found.thenApply(
        hit -> {
          if (hit == null) {
            throw ApiException.notFound("no live call or channel " + id);
          }
          return hit;
        });
  }

  @Override
  public CompletionStage<CallInfo> createCall(CreateCallRequest request) {
    OutboundCall call;
    try {
      Optional<java.net.URI> url = Optional.empty();
      Optional<String> twiml = Optional.empty();
      Method method = Method.POST;
      Optional<java.net.URI> fallback = Optional.empty();
      Method fallbackMethod = Method.POST;
      if (request.instructions() instanceof FetchUrl f) {
        url = Optional.of(f.url());
        method = Method.parse(f.method());
        fallback = f.fallbackUrl();
        fallbackMethod = Method.parse(f.fallbackMethod());
      } else if (request.instructions() instanceof InlineTwiml t) {
        twiml = Optional.of(t.twiml());
      }
      call =
          new OutboundCall(
              request.to(),
              request.callerId().orElse(request.from()),
              url,
              method,
              twiml,
              fallback,
              fallbackMethod,
              request.statusCallback(),
              request.statusCallbackEvents().stream().map(e -> e.name().toLowerCase()).toList(),
              Method.parse(request.statusCallbackMethod()),
              (int) Math.max(1, request.timeout().toSeconds()),
              Optional.empty(),
              request.machineDetection().map(d ->
                  new org.switchboard.engine.protocol.AmdOptions(d, request.asyncAmd(), false)),
              request.sendDigits());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(ApiException.invalidParameter(e.getMessage()));
    }
    OutboundCall outbound = call;
    CompletionStage<String> originated = request.recording()
        .map(r -> ops.originate(outbound, EngineRecordingControl.callback(r),
            EngineRecordingControl.options(r, LiveRecordings.OUTBOUND_API)))
        .orElseGet(() -> ops.originate(outbound));
    return originated
        .thenApply(
            sid -> {
              java.time.Instant now = java.time.Instant.now();
              return new CallInfo(
                  sid, Optional.empty(), request.to(), request.from(), CallStatus.QUEUED,
                  "outbound-api", Optional.empty(), Optional.empty(), Optional.empty(),
                  Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), now, now);
            })
        .exceptionally(
            e -> {
              throw translate(e, request.to());
            });
  }

  @Override
  public CompletionStage<CallInfo> fetchCall(String callSid) {
    return ops.snapshot(callSid)
        .thenCompose(s -> s.isPresent()
            ? CompletableFuture.completedFuture(s)
            : store.findCall(callSid).exceptionally(e -> {
              throw storeUnavailable(e);
            }))
        .thenApply(
            s -> s.map(EngineCallControl::info).orElseThrow(() -> ApiException.notFound("call " + callSid + " not found")));
  }

  @Override
  public CompletionStage<Page<CallInfo>> listCalls(CallFilter filter, int offset, int limit) {
    HistoryStore.CallQuery query = new HistoryStore.CallQuery(
        filter.status().map(CallStatus::wire), filter.to(), filter.from(), filter.parentCallSid(),
        AriRecordingStore.range(filter.startTime()), AriRecordingStore.range(filter.endTime()));
    // The first offset + limit + 1 of the store are enough: merged with the live calls and this
    // node's memory, the page and whether more follow are the same as over everything.
    CompletionStage<List<CallSnapshot>> ended = store.listCalls(query, (int) Math.min(Integer.MAX_VALUE, (long) offset + limit + 1))
        .exceptionally(e -> {
          throw storeUnavailable(e);
        });
    return ops.list()
        .thenCombine(ended, (known, kept) -> {
          Map<String, CallSnapshot> all = new java.util.LinkedHashMap<>();
          known.forEach(s -> all.put(s.callSid(), s));
          kept.forEach(s -> all.putIfAbsent(s.callSid(), s));
          return all.values();
        })
        .thenApply(
            all -> {
              List<CallInfo> matching =
                  all.stream()
                      .map(EngineCallControl::info)
                      .filter(c -> filter.status().map(st -> st == c.status()).orElse(true))
                      .filter(c -> filter.to().map(t -> sameNumber(t, c.to())).orElse(true))
                      .filter(c -> filter.from().map(f -> sameNumber(f, c.from())).orElse(true))
                      .filter(c -> filter.parentCallSid().map(p -> c.parentCallSid().filter(p::equals).isPresent()).orElse(true))
                      .filter(filter::inDates)
                      .sorted(Comparator.comparing(CallInfo::dateCreated).reversed())
                      .toList();
              int from = Math.min(offset, matching.size());
              int to = Math.min(matching.size(), from + limit);
              return new Page<>(matching.subList(from, to), to < matching.size());
            });
  }

  @Override
  public CompletionStage<CallInfo> redirectCall(String callSid, CallInstructions instructions) {
    // A call that has ended (kept for fetching) is Twilio's 21220, not an unknown one (20404);
    // so is a call that ends between the look and the redirect.
    return ops.snapshot(callSid)
        .thenCompose(
            s -> {
              CallSnapshot snapshot = s.orElseThrow(() -> ApiException.notFound("call " + callSid + " not found"));
              if (snapshot.endTime().isPresent()) {
                throw notInProgress(callSid);
              }
              CompletionStage<CallSnapshot> redirected =
                  instructions instanceof FetchUrl f
                      ? ops.redirect(callSid, Optional.of(f.url()), Method.parse(f.method()), Optional.empty())
                      : ops.redirect(callSid, Optional.empty(), Method.POST, Optional.of(((InlineTwiml) instructions).twiml()));
              return redirected.exceptionally(e -> {
                if (Failures.cause(e) instanceof CallOperations.NoSuchCall) {
                  throw notInProgress(callSid);
                }
                throw translate(e, callSid);
              });
            })
        .thenApply(EngineCallControl::info)
        .exceptionally(
            e -> {
              throw translate(e, callSid);
            });
  }

  private static ApiException notInProgress(String callSid) {
    return ApiException.invalidCallState("Call " + callSid + " is not in-progress. Cannot redirect.");
  }

  @Override
  public CompletionStage<CallInfo> endCall(String callSid, EndMode mode) {
    return ops.snapshot(callSid)
        .thenCompose(
            s -> {
              CallSnapshot snapshot = s.orElseThrow(() -> ApiException.notFound("call " + callSid + " not found"));
              if (snapshot.endTime().isPresent()) {
                throw ApiException.invalidCallState("call " + callSid + " is not in-progress; cannot redirect or end it");
              }
              boolean answered = snapshot.answerTime().isPresent();
              if (mode == EndMode.CANCELED && answered) {
                return CompletableFuture.completedFuture(info(snapshot));
              }
              return ops.hangup(callSid, mode == EndMode.CANCELED ? "canceled" : "completed").thenApply(EngineCallControl::info);
            })
        .exceptionally(
            e -> {
              throw translate(e, callSid);
            });
  }

  /** A store that could not answer: 503, its reason logged by the route. */
  private static ApiException storeUnavailable(Throwable e) {
    Throwable cause = Failures.cause(e);
    if (cause instanceof ApiException api) {
      return api;
    }
    return ApiException.unavailable("the call store did not answer: " + cause.getMessage());
  }

  /** The engine's snapshot in the API's call shape. */
  static CallInfo info(CallSnapshot s) {
    Optional<Duration> duration =
        s.endTime().map(end -> s.answerTime().map(a -> Duration.between(a, end)).orElse(Duration.ZERO));
    return new CallInfo(
        s.callSid(),
        s.parentCallSid(),
        s.to(),
        s.from(),
        status(s.status()),
        s.direction(),
        s.answerTime().or(() -> Optional.of(s.startTime())),
        s.endTime(),
        duration,
        s.answeredBy(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        s.startTime(),
        s.endTime().orElse(s.answerTime().orElse(s.startTime())));
  }

  static CallStatus status(String wire) {
    return CallStatus.parse(wire).orElse(CallStatus.FAILED);
  }

  private static RuntimeException translate(Throwable e, String subject) {
    Throwable cause = Failures.cause(e);
    if (cause instanceof ApiException api) {
      return api;
    }
    if (cause instanceof CallOperations.NoSuchCall) {
      return ApiException.notFound("no live call " + subject);
    }
    if (cause instanceof IllegalArgumentException) {
      return ApiException.invalidParameter(cause.getMessage());
    }
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return ApiException.unavailable("the engine did not answer in time for " + subject);
    }
    return new IllegalStateException(cause.getMessage(), cause);
  }

  /** Whether two numbers are one after E.164 normalisation ({@code PhoneNumbers}). */
  private static boolean sameNumber(String a, String b) {
    return CallParams.e164(a).equals(CallParams.e164(b));
  }
}
