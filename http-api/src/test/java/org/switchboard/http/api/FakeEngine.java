package org.switchboard.http.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.CallModel.AsteriskLink;
import org.switchboard.http.api.CallModel.CallFilter;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.CallModel.CallInstructions;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.CancelRingingResult;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.CallModel.EndMode;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.HangupResult;
import org.switchboard.http.api.CallModel.HealthSnapshot;
import org.switchboard.http.api.CallModel.RingLeg;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingResult;
import org.switchboard.http.api.CallModel.ServerStatus;
import org.switchboard.http.api.CallModel.SystemStatus;

/**
 * A fake engine implementing the three contracts: it records every invocation in {@link #seen}
 * and answers from in-memory calls, queues and recordings that the test sets up.
 */
public final class FakeEngine implements CallControl, QueueControl, RecordingStore {
  public static final Instant T0 = Instant.parse("2010-08-20T01:13:42Z");

  /** Every request that reached the engine, in order. */
  public final List<Object> seen = Collections.synchronizedList(new ArrayList<>());
  public final Map<String, CallInfo> calls = new ConcurrentHashMap<>();
  public final List<QueueInfo> queues = Collections.synchronizedList(new ArrayList<>());
  public final List<MemberInfo> members = Collections.synchronizedList(new ArrayList<>());
  public final List<RecordingInfo> recordings = Collections.synchronizedList(new ArrayList<>());
  public final Map<String, byte[]> audio = new ConcurrentHashMap<>();
  public volatile boolean mp3Encoder = false;
  /** What {@link #bridgeCounts()} answers. */
  public volatile BridgeCounts counts = new BridgeCounts(3, 1, 2, 2);
  /** The ARI {@code AsteriskInfo} of server pbx1 in {@link #status()}; empty: not reachable. */
  public volatile Optional<Map<String, Object>> asteriskInfo = Optional.of(Map.of(
      "system", Map.of("version", "22.10.1", "entity_id", "02:42:ac:11:00:02")));

  /** Records {@code request} and returns {@code value}. */
  private <T> CompletionStage<T> answer(Object request, T value) {
    seen.add(request);
    return CompletableFuture.completedFuture(value);
  }

  private static <T> CompletionStage<T> fail(ApiException error) {
    return CompletableFuture.failedFuture(error);
  }

  public static CallInfo call(String sid, CallStatus status, Instant created) {
    return new CallInfo(sid, Optional.empty(), "+14155551212", "+14155550000", status,
        "outbound-api", Optional.of(created), status.isFinal() ? Optional.of(created.plusSeconds(15))
        : Optional.empty(), status.isFinal() ? Optional.of(Duration.ofSeconds(15))
        : Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), created, created);
  }

  @Override
  public CompletionStage<HealthSnapshot> health() {
    return CompletableFuture.completedFuture(new HealthSnapshot(3, List.of(
        new AsteriskLink("pbx1", "connected", Optional.of(T0)),
        new AsteriskLink("pbx2", "disconnected", Optional.empty()))));
  }

  @Override
  public CompletionStage<SystemStatus> status() {
    return CompletableFuture.completedFuture(new SystemStatus(List.of(
        new ServerStatus("pbx1", "connected", asteriskInfo.isPresent()
            ? Map.of("version", "22.10.1") : Map.of("error", "connection refused"),
            asteriskInfo.isPresent() ? 4 : -1, asteriskInfo.isPresent() ? 1 : -1, asteriskInfo)),
        3, 2, List.copyOf(queues)));
  }

  @Override
  public CompletionStage<BridgeCounts> bridgeCounts() {
    return CompletableFuture.completedFuture(counts);
  }

  @Override
  public CompletionStage<RingResult> ring(RingRequest request) {
    if (!calls.containsKey(request.parentCallSid())) {
      seen.add(request);
      return fail(ApiException.notFound("call " + request.parentCallSid() + " is unknown"));
    }
    List<RingLeg> legs = new ArrayList<>();
    int i = 0;
    for (CallModel.RingTarget target : request.targets()) {
      String dial = target.phone().or(target::sipUri)
          .or(() -> target.browserIdentity().map(b -> "client:" + b)).orElseThrow();
      legs.add(new RingLeg("CA" + "%032d".formatted(++i), "leg-" + i, target.id(), dial));
    }
    return answer(request, new RingResult(legs));
  }

  @Override
  public CompletionStage<CancelRingingResult> cancelRinging(CancelRingingRequest request) {
    List<String> canceled = request.ids().stream()
        .filter(id -> request.except().map(e -> !e.equals(id)).orElse(true)).toList();
    return answer(request, new CancelRingingResult(canceled));
  }

  @Override
  public CompletionStage<HangupResult> hangup(HangupRequest request) {
    if (request.id().equals("gone")) {
      seen.add(request);
      return fail(ApiException.notFound("no call gone"));
    }
    return answer(request, new HangupResult("CA" + "0".repeat(32), request.id()));
  }

  @Override
  public CompletionStage<CallInfo> createCall(CreateCallRequest request) {
    CallInfo created = new CallInfo("CA" + "1".repeat(32), Optional.empty(), request.to(),
        request.from(), CallStatus.QUEUED, "outbound-api", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), T0, T0);
    calls.put(created.sid(), created);
    return answer(request, created);
  }

  @Override
  public CompletionStage<CallInfo> fetchCall(String callSid) {
    seen.add("fetch " + callSid);
    CallInfo call = calls.get(callSid);
    return call == null ? fail(ApiException.notFound("call " + callSid + " is unknown"))
        : CompletableFuture.completedFuture(call);
  }

  @Override
  public CompletionStage<Page<CallInfo>> listCalls(CallFilter filter, int offset, int limit) {
    List<CallInfo> matching = calls.values().stream()
        .filter(c -> filter.status().map(s -> s == c.status()).orElse(true))
        .filter(c -> filter.to().map(t -> t.equals(c.to())).orElse(true))
        .filter(c -> filter.from().map(f -> f.equals(c.from())).orElse(true))
        .filter(c -> filter.parentCallSid()
            .map(p -> c.parentCallSid().filter(p::equals).isPresent()).orElse(true))
        .sorted((a, b) -> b.sid().compareTo(a.sid())).toList();
    return answer(filter, page(matching, offset, limit));
  }

  private static <T> Page<T> page(List<T> all, int offset, int limit) {
    int from = Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    return new Page<>(all.subList(from, to), to < all.size());
  }

  @Override
  public CompletionStage<CallInfo> redirectCall(String callSid, CallInstructions instructions) {
    seen.add(instructions);
    CallInfo call = calls.get(callSid);
    if (call == null) {
      return fail(ApiException.notFound("call " + callSid + " is unknown"));
    }
    return call.status().isFinal()
        ? fail(ApiException.invalidCallState("Call is not in-progress. Cannot redirect."))
        : CompletableFuture.completedFuture(call);
  }

  @Override
  public CompletionStage<CallInfo> endCall(String callSid, EndMode mode) {
    seen.add(mode);
    CallInfo call = calls.get(callSid);
    if (call == null) {
      return fail(ApiException.notFound("call " + callSid + " is unknown"));
    }
    if (call.status().isFinal()) {
      return fail(ApiException.invalidCallState("Call is not in-progress."));
    }
    CallInfo ended = call(callSid, CallStatus.COMPLETED, call.dateCreated());
    calls.put(callSid, ended);
    return CompletableFuture.completedFuture(ended);
  }

  @Override
  public CompletionStage<Page<QueueInfo>> listQueues(int offset, int limit) {
    return answer("listQueues", page(List.copyOf(queues), offset, limit));
  }

  @Override
  public CompletionStage<QueueInfo> fetchQueue(String queueSid) {
    return queues.stream().filter(q -> q.sid().equals(queueSid)).findFirst()
        .map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(ApiException.notFound("no queue")));
  }

  @Override
  public CompletionStage<Page<MemberInfo>> listMembers(String queueSid, int offset, int limit) {
    return answer("listMembers", page(members.stream()
        .filter(m -> m.queueSid().equals(queueSid)).toList(), offset, limit));
  }

  @Override
  public CompletionStage<MemberInfo> fetchMember(String queueSid, String callSidOrFront) {
    return members.stream().filter(m -> m.queueSid().equals(queueSid))
        .filter(m -> callSidOrFront.equals(FRONT) ? m.position() == 1
            : m.callSid().equals(callSidOrFront))
        .findFirst().map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(ApiException.notFound("no member")));
  }

  /** A dequeue as the fake saw it. */
  public record Dequeue(String queueSid, String member, URI url, String method) {}

  @Override
  public CompletionStage<MemberInfo> dequeue(
      String queueSid, String callSidOrFront, URI url, String method) {
    seen.add(new Dequeue(queueSid, callSidOrFront, url, method));
    return fetchMember(queueSid, callSidOrFront);
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, int offset, int limit) {
    return answer("listRecordings " + callSid.orElse("*"), page(recordings.stream()
        .filter(r -> callSid.map(c -> c.equals(r.callSid())).orElse(true)).toList(),
        offset, limit));
  }

  @Override
  public CompletionStage<RecordingInfo> fetchRecording(String recordingSid) {
    return recordings.stream().filter(r -> r.sid().equals(recordingSid)).findFirst()
        .map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(ApiException.notFound("no recording")));
  }

  @Override
  public CompletionStage<RecordingMedia> openMedia(String name, AudioFormat format) {
    seen.add("open " + name + " " + format);
    byte[] bytes = audio.get(name);
    if (bytes == null) {
      return fail(ApiException.notFound("no recording " + name));
    }
    if (format == AudioFormat.MP3 && !mp3Encoder) {
      return fail(new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "no MP3 encoder"));
    }
    return CompletableFuture.completedFuture(new RecordingMedia(format,
        Source.single(ByteString.fromArray(bytes)), OptionalLong.of(bytes.length)));
  }

  @Override
  public CompletionStage<Void> deleteRecording(String recordingSid) {
    seen.add("delete " + recordingSid);
    boolean removed = recordings.removeIf(r -> r.sid().equals(recordingSid));
    return removed ? CompletableFuture.completedFuture(null)
        : fail(ApiException.notFound("no recording"));
  }
}
