package org.switchboard.http.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.MachineDetection;

/** The requests and answers of {@link CallControl}. Optional fields use {@link Optional}. */
public final class CallModel {
  private CallModel() {}

  /** State of one ARI link: {@code connected}, {@code connecting} or {@code disconnected}. */
  public record AsteriskLink(
      String serverId, String state, Optional<Instant> since, String role, Optional<String> owner) {
    /** A link held by this node itself: {@code owner} when connected, else {@code disconnected}. */
    public AsteriskLink(String serverId, String state, Optional<Instant> since) {
      this(serverId, state, since, state.equals("connected") ? "owner" : "disconnected",
          Optional.empty());
    }
  }

  /** What {@code GET /health} shows; {@code draining} while the node drains (graceful shutdown). */
  public record HealthSnapshot(
      int activeCalls, List<AsteriskLink> links, boolean draining, Optional<Load> load) {
    public HealthSnapshot {
      links = List.copyOf(links);
    }

    /** A node that does not report its load. */
    public HealthSnapshot(int activeCalls, List<AsteriskLink> links, boolean draining) {
      this(activeCalls, links, draining, Optional.empty());
    }

    /** A node that does not drain. */
    public HealthSnapshot(int activeCalls, List<AsteriskLink> links) {
      this(activeCalls, links, false);
    }
  }

  /**
   * A node's load, for {@code /health} and {@code /metrics}.
   *
   * @param shedding whether new calls are shed now (admission control)
   * @param shedCalls new calls shed since the start
   * @param channelsUp channels Switchboard believes are up: live calls and legs, plus channels
   *     whose hangup Asterisk has not confirmed yet
   * @param hangupsPending channels whose hangup Switchboard decided and Asterisk has not confirmed
   * @param ariPending ARI commands sent and not answered yet
   * @param ariStuck among them, those pending longer than {@code switchboard.overload.stuck-after}
   * @param ariLatencyMs the average ARI round trip at the last check
   * @param webhookBacklog TwiML requests sent to applications and not answered yet
   */
  public record Load(boolean shedding, long shedCalls, int channelsUp, int hangupsPending,
      int ariPending, int ariStuck, double ariLatencyMs, int webhookBacklog, int eventBacklog) {}

  /**
   * The Llamenos bridge's counters ({@code /health}, {@code /status}'s {@code bridge}); -1 when a
   * count could not be taken.
   *
   * @param activeCalls live calls and legs of this node
   * @param activeQueues queues with at least one caller waiting
   * @param activeBridges bridges on the connected Asterisk servers
   * @param ringingChannels outbound legs originated and not yet answered or ended
   */
  public record BridgeCounts(
      int activeCalls, int activeQueues, int activeBridges, int ringingChannels) {}

  /**
   * One Asterisk server in {@code GET /status}.
   *
   * @param info summary of ARI {@code GET /asterisk/info} (e.g. version, system name, entity id)
   * @param channels channels on the server, -1 if it could not be asked
   * @param bridges bridges on the server, -1 if it could not be asked
   * @param asteriskInfo ARI's {@code AsteriskInfo} as Asterisk sends it (snake_case JSON)
   */
  public record ServerStatus(
      String serverId,
      String state,
      Map<String, String> info,
      int channels,
      int bridges,
      Optional<Map<String, Object>> asteriskInfo) {
    public ServerStatus {
      info = Map.copyOf(info);
    }

    /** A server whose {@code GET /asterisk/info} answer is not at hand. */
    public ServerStatus(
        String serverId, String state, Map<String, String> info, int channels, int bridges) {
      this(serverId, state, info, channels, bridges, Optional.empty());
    }
  }

  /** What {@code GET /status} shows. */
  public record SystemStatus(
      List<ServerStatus> servers,
      int activeCalls,
      int ringingLegs,
      List<QueueControl.QueueInfo> queues) {
    public SystemStatus {
      servers = List.copyOf(servers);
      queues = List.copyOf(queues);
    }
  }

  /**
   * One person to ring. At least one of the endpoints is present; each present endpoint gets its
   * own leg.
   *
   * @param id the volunteer's id or public key, echoed back in {@link RingLeg#targetId()}
   * @param phone E.164 number, dialled through the server's trunk
   * @param sipUri a SIP URI
   * @param browserIdentity a WebRTC client identity ({@code client:<id>} in webhooks)
   * @param answerUrl this person's answer URL when the request has none (e.g. the Llamenos
   *     Worker's {@code volunteer-answer} URL, which names the volunteer)
   * @param statusCallback this person's status callback when the request has none
   */
  public record RingTarget(
      String id,
      Optional<String> phone,
      Optional<String> sipUri,
      Optional<String> browserIdentity,
      Optional<URI> answerUrl,
      Optional<URI> statusCallback) {
    /** A target without URLs of its own. */
    public RingTarget(
        String id, Optional<String> phone, Optional<String> sipUri, Optional<String> browserIdentity) {
      this(id, phone, sipUri, browserIdentity, Optional.empty(), Optional.empty());
    }

    /** This target with its own answer URL and status callback. */
    public RingTarget withUrls(Optional<URI> answer, Optional<URI> status) {
      return new RingTarget(id, phone, sipUri, browserIdentity, answer, status);
    }
  }

  /**
   * {@code POST /ring}.
   *
   * @param parentCallSid the caller's CallSid; legs are originated on its Asterisk server
   * @param callerNumber caller ID shown to the volunteers
   * @param targets at least one
   * @param timeout how long legs ring before {@code no-answer}; engine default when empty
   * @param answerUrl fetched (POST) when a leg answers; its TwiML runs on that leg
   * @param statusCallback status callbacks of every leg (initiated, ringing, answered, completed)
   */
  public record RingRequest(
      String parentCallSid,
      String callerNumber,
      List<RingTarget> targets,
      Optional<Duration> timeout,
      Optional<URI> answerUrl,
      Optional<URI> statusCallback,
      Optional<MachineDetection> machineDetection) {
    public RingRequest {
      targets = List.copyOf(targets);
    }

    /** A ring without answering machine detection. */
    public RingRequest(
        String parentCallSid,
        String callerNumber,
        List<RingTarget> targets,
        Optional<Duration> timeout,
        Optional<URI> answerUrl,
        Optional<URI> statusCallback) {
      this(parentCallSid, callerNumber, targets, timeout, answerUrl, statusCallback,
          Optional.empty());
    }
  }

  /**
   * A leg that is ringing.
   *
   * @param targetId the {@link RingTarget#id()} it rings
   * @param target the dialled endpoint, e.g. {@code +15551234567}, {@code sip:a@b}, {@code
   *     client:alice}
   */
  public record RingLeg(String legSid, String channelId, String targetId, String target) {}

  /**
   * Where a {@code /ring} came from, as the Llamenos Worker says it: its own base URL ({@code
   * callbackUrl}) and its hub ({@code hubId}). Used only to build volunteer URLs the request does
   * not give.
   */
  public record RingOrigin(Optional<URI> callbackUrl, Optional<String> hubId) {
    /** No origin information. */
    public static RingOrigin none() {
      return new RingOrigin(Optional.empty(), Optional.empty());
    }
  }

  /** Answer of {@code /ring}. */
  public record RingResult(List<RingLeg> legs) {
    public RingResult {
      legs = List.copyOf(legs);
    }
  }

  /**
   * {@code POST /cancel-ringing}.
   *
   * @param ids ARI channel ids or leg CallSids (at least one)
   * @param except an id (channel id or CallSid) to leave ringing, e.g. the leg that answered
   */
  public record CancelRingingRequest(List<String> ids, Optional<String> except) {
    public CancelRingingRequest {
      ids = List.copyOf(ids);
    }
  }

  /** The ids (as given in the request) of the legs actually cancelled. */
  public record CancelRingingResult(List<String> canceled) {
    public CancelRingingResult {
      canceled = List.copyOf(canceled);
    }
  }

  /** {@code POST /hangup}: an ARI channel id or a CallSid. */
  public record HangupRequest(String id) {}

  /** The call that was hung up. */
  public record HangupResult(String callSid, String channelId) {}

  /** Events of Twilio's {@code StatusCallbackEvent}, with their wire strings. */
  public enum CallbackEvent {
    INITIATED("initiated"),
    RINGING("ringing"),
    ANSWERED("answered"),
    COMPLETED("completed");

    private final String wire;

    CallbackEvent(String wire) {
      this.wire = wire;
    }

    /** The value as Twilio writes it. */
    public String wire() {
      return wire;
    }
  }

  /** Events of Twilio's {@code RecordingStatusCallbackEvent}. */
  public enum RecordingEvent {
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    ABSENT("absent");

    private final String wire;

    RecordingEvent(String wire) {
      this.wire = wire;
    }

    /** The value as Twilio writes it. */
    public String wire() {
      return wire;
    }
  }

  /** What to run on a call: a URL to fetch, or inline TwiML. */
  public sealed interface CallInstructions permits FetchUrl, InlineTwiml {}

  /**
   * Fetch TwiML from {@code url} with {@code method} ({@code GET} or {@code POST}); on failure,
   * from {@code fallbackUrl} if present.
   */
  public record FetchUrl(
      URI url, String method, Optional<URI> fallbackUrl, String fallbackMethod)
      implements CallInstructions {}

  /** Run this TwiML document (already checked to be non-blank; parsed by the engine). */
  public record InlineTwiml(String twiml) implements CallInstructions {}

  /**
   * Recording of a REST-originated call ({@code Record=true}) or of a live call.
   *
   * @param channels {@code mono} or {@code dual}
   * @param trimSilence {@code Trim=trim-silence}: silence at the start and end is cut
   */
  public record RecordingOptions(
      String channels,
      Optional<URI> statusCallback,
      String statusCallbackMethod,
      Set<RecordingEvent> statusCallbackEvents,
      String track,
      boolean trimSilence) {
    public RecordingOptions {
      statusCallbackEvents = Set.copyOf(statusCallbackEvents);
    }

    /** A recording kept whole. */
    public RecordingOptions(String channels, Optional<URI> statusCallback,
        String statusCallbackMethod, Set<RecordingEvent> statusCallbackEvents, String track) {
      this(channels, statusCallback, statusCallbackMethod, statusCallbackEvents, track, false);
    }

    /** These options with silence trimmed or not. */
    public RecordingOptions trimmed(boolean trim) {
      return new RecordingOptions(channels, statusCallback, statusCallbackMethod,
          statusCallbackEvents, track, trim);
    }
  }

  /**
   * Twilio {@code POST /Calls}. Methods are upper-case {@code GET}/{@code POST}. When a status
   * callback is set and no events were given, {@code statusCallbackEvents} is {@code
   * {COMPLETED}} (Twilio's default).
   *
   * @param to E.164 number, {@code sip:} URI or {@code client:} identity
   * @param from caller ID
   * @param timeout ring time before {@code no-answer} (Twilio default 60 s)
   * @param recording present when {@code Record=true}
   * @param sendDigits DTMF to send on answer ({@code SendDigits}), possibly with {@code w} pauses
   * @param machineDetection {@code MachineDetection} and its thresholds, if asked for
   * @param asyncAmd {@code AsyncAmd=true}: the verdict goes to {@code AsyncAmdStatusCallback}
   */
  public record CreateCallRequest(
      String to,
      String from,
      CallInstructions instructions,
      Optional<URI> statusCallback,
      String statusCallbackMethod,
      Set<CallbackEvent> statusCallbackEvents,
      Duration timeout,
      Optional<String> callerId,
      Optional<RecordingOptions> recording,
      Optional<String> sendDigits,
      Optional<MachineDetection> machineDetection,
      boolean asyncAmd) {
    public CreateCallRequest {
      statusCallbackEvents = Set.copyOf(statusCallbackEvents);
    }

    /** A call without answering machine detection. */
    public CreateCallRequest(
        String to,
        String from,
        CallInstructions instructions,
        Optional<URI> statusCallback,
        String statusCallbackMethod,
        Set<CallbackEvent> statusCallbackEvents,
        Duration timeout,
        Optional<String> callerId,
        Optional<RecordingOptions> recording,
        Optional<String> sendDigits) {
      this(to, from, instructions, statusCallback, statusCallbackMethod, statusCallbackEvents,
          timeout, callerId, recording, sendDigits, Optional.empty(), false);
    }
  }

  /** Filters of the call listing; empty means "any". */
  public record CallFilter(
      Optional<CallStatus> status,
      Optional<String> to,
      Optional<String> from,
      Optional<String> parentCallSid,
      DateRange startTime,
      DateRange endTime) {
    /** Without date filters. */
    public CallFilter(Optional<CallStatus> status, Optional<String> to, Optional<String> from,
        Optional<String> parentCallSid) {
      this(status, to, from, parentCallSid, DateRange.ANY, DateRange.ANY);
    }

    /** Whether {@code call} passes the date filters. */
    public boolean inDates(CallInfo call) {
      return startTime.contains(call.startTime()) && endTime.contains(call.endTime());
    }

    /** No filter. */
    public static CallFilter any() {
      return new CallFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** How {@link CallControl#endCall} ends a call. */
  public enum EndMode {
    /** Hang up whatever the state. */
    COMPLETED,
    /** Cancel only if not yet answered. */
    CANCELED
  }

  /**
   * A call as the Twilio Call resource shows it.
   *
   * @param parentCallSid empty for first legs
   * @param direction {@code inbound}, {@code outbound-api} or {@code outbound-dial}
   * @param startTime when dialling started (or the inbound call arrived); empty while queued
   * @param endTime when the call ended; empty while live
   * @param duration answer-to-end time, present once ended (zero if never answered)
   * @param queueTime time spent {@code queued} before dialling, if any
   */
  public record CallInfo(
      String sid,
      Optional<String> parentCallSid,
      String to,
      String from,
      CallStatus status,
      String direction,
      Optional<Instant> startTime,
      Optional<Instant> endTime,
      Optional<Duration> duration,
      Optional<String> answeredBy,
      Optional<String> callerName,
      Optional<String> forwardedFrom,
      Optional<Duration> queueTime,
      Instant dateCreated,
      Instant dateUpdated) {}
}
