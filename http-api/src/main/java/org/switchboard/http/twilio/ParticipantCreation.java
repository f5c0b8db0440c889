package org.switchboard.http.twilio;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.CallControl;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.ConferenceControl;
import org.switchboard.http.api.ConferenceControl.ConferenceInfo;
import org.switchboard.http.api.ConferenceControl.ParticipantInfo;

/**
 * Twilio's Participant create ({@code POST Conferences/{ConferenceSid or FriendlyName}/
 * Participants}): a call from {@code From} to {@code To} that, once answered, joins the
 * conference. It is a REST call (Calls create: the same validation, error codes, status
 * callbacks, {@code Record}, {@code Timeout}, {@code MachineDetection}) whose TwiML is {@code
 * <Dial><Conference>} with the participant's conference parameters as its attributes, checked by
 * the TwiML parser before anything is dialled; so the participant joins exactly as a caller of
 * {@code <Dial><Conference>} does (conference callbacks, beep, wait music, moderation). A
 * ConferenceSid names a running conference (unknown: 404 20404, ended: 400); anything else is a
 * FriendlyName, whose conference starts with its first participant.
 */
final class ParticipantCreation {
  private static final Pattern CONFERENCE_SID = Pattern.compile("CF[0-9a-fA-F]{32}");

  /** Participant parameters and the {@code <Conference>} attribute each becomes. */
  private static final Map<String, String> ATTRIBUTES = attributes();

  /** Twilio's bounds of a participant's {@code Timeout}, in seconds (default 60, as a call's). */
  static final int MIN_TIMEOUT = 5;

  static final int MAX_TIMEOUT = 600;

  /** Where the generated document is said to come from: the REST API itself. */
  private static final URI DOCUMENT = URI.create("http://localhost/participant-create");

  private final ConferenceControl conferences;
  private final CallControl calls;
  private final TwilioJson json;
  private final TwimlParser parser = new TwimlParser();

  ParticipantCreation(ConferenceControl conferences, CallControl calls, TwilioJson json) {
    this.conferences = conferences;
    this.calls = calls;
    this.json = json;
  }

  private static Map<String, String> attributes() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Muted", "muted");
    out.put("Beep", "beep");
    out.put("StartConferenceOnEnter", "startConferenceOnEnter");
    out.put("EndConferenceOnExit", "endConferenceOnExit");
    out.put("WaitUrl", "waitUrl");
    out.put("WaitMethod", "waitMethod");
    out.put("MaxParticipants", "maxParticipants");
    out.put("ConferenceRecord", "record");
    out.put("ConferenceTrim", "trim");
    out.put("ConferenceStatusCallback", "statusCallback");
    out.put("ConferenceStatusCallbackMethod", "statusCallbackMethod");
    out.put("ConferenceStatusCallbackEvent", "statusCallbackEvent");
    out.put("ConferenceRecordingStatusCallback", "recordingStatusCallback");
    out.put("ConferenceRecordingStatusCallbackMethod", "recordingStatusCallbackMethod");
    out.put("ConferenceRecordingStatusCallbackEvent", "recordingStatusCallbackEvent");
    out.put("Label", "participantLabel");
    out.put("JitterBufferSize", "jitterBufferSize");
    return out;
  }

  CompletionStage<Object> create(String conference, TwilioForm params) {
    Optional<String> coach = coach(params);
    boolean muted = params.bool("Muted", false, TwilioError.BAD_REQUEST);
    boolean startOnEnter = params.bool("StartConferenceOnEnter", true, TwilioError.BAD_REQUEST);
    boolean endOnExit = params.bool("EndConferenceOnExit", false, TwilioError.BAD_REQUEST);
    params.bool("EarlyMedia", true, TwilioError.BAD_REQUEST);
    // The document runs inline: its URLs must stand alone, as every REST URL.
    for (String url : List.of("WaitUrl", "ConferenceStatusCallback",
        "ConferenceRecordingStatusCallback")) {
      CallsResource.url(params, url);
    }
    TwilioForm call = params.with("Timeout", Integer.toString(timeout(params)));
    // The call's own parameters first (To, From, StatusCallback…), with Twilio's Calls codes.
    CallsResource.createRequest(call.with("Twiml", "<Response/>"));
    // Then the conference's, as the TwiML parser reads them, before anything is looked up.
    checked(twiml(conference, params, coach));
    return conferences.listConferences().thenCompose(all -> {
      Optional<ConferenceInfo> running = running(conference, all);
      String name = running.map(ConferenceInfo::friendlyName).orElse(conference);
      CreateCallRequest request = CallsResource.createRequest(
          call.with("Twiml", twiml(name, params, coach)));
      return coachable(running, coach)
          .thenCompose(ok -> calls.createCall(request)).<Object>thenApply(created -> {
            Instant now = Instant.now();
            return json.participant(new ParticipantInfo(created.sid(),
                running.map(ConferenceInfo::sid).orElse(conference), params.first("Label"),
                muted, false, startOnEnter, endOnExit, now, now, coach), "queued");
          });
    });
  }

  /**
   * The participant to coach: {@code CallSidToCoach}, unless {@code Coaching=false}; {@code
   * Coaching=true} without it, or a value that is not a CallSid, is 400.
   */
  static Optional<String> coach(TwilioForm params) {
    Optional<String> callSid = callSidToCoach(params);
    return params.bool("Coaching", true, TwilioError.BAD_REQUEST) ? callSid : Optional.empty();
  }

  /** {@code CallSidToCoach}, a CallSid, required by {@code Coaching=true}; else 400. */
  static Optional<String> callSidToCoach(TwilioForm params) {
    Optional<String> callSid = params.first("CallSidToCoach");
    if (params.bool("Coaching", false, TwilioError.BAD_REQUEST) && callSid.isEmpty()) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "Coaching=true needs CallSidToCoach, the participant to coach");
    }
    callSid.filter(sid -> !CallSid.isCallSid(sid)).ifPresent(sid -> {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "CallSidToCoach must be a CallSid (CA…), not '" + sid + "'");
    });
    return callSid;
  }

  /**
   * Completes when nobody is to be coached, or the one to coach is in the running conference;
   * else fails with 400 (Twilio's coach must be in the conference already).
   */
  private CompletionStage<Void> coachable(Optional<ConferenceInfo> running,
      Optional<String> coach) {
    if (coach.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (running.isEmpty()) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "CallSidToCoach " + coach.get()
          + " is not in a running conference of that name");
    }
    return coachable(conferences, running.get().sid(), "", coach.get());
  }

  /**
   * Completes when {@code toCoach} is a participant of the conference other than {@code
   * callSid}; else fails with 400 (Twilio's coach must coach someone in the conference).
   */
  static CompletionStage<Void> coachable(ConferenceControl conferences, String conferenceSid,
      String callSid, String toCoach) {
    return conferences.listParticipants(conferenceSid).thenAccept(in -> {
      if (toCoach.equals(callSid) || in.stream().noneMatch(p -> p.callSid().equals(toCoach))) {
        throw TwilioError.bad(TwilioError.BAD_REQUEST, "CallSidToCoach " + toCoach
            + " is not another participant of conference " + conferenceSid);
      }
    });
  }

  /** The running conference the path names: by ConferenceSid (else 404/400) or FriendlyName. */
  private static Optional<ConferenceInfo> running(String conference, List<ConferenceInfo> all) {
    if (CONFERENCE_SID.matcher(conference).matches()) {
      ConferenceInfo found = all.stream().filter(c -> c.sid().equals(conference)).findFirst()
          .orElseThrow(() -> ApiException.notFound("conference " + conference + " not found"));
      if (found.status().equals("completed")) {
        throw TwilioError.bad(TwilioError.BAD_REQUEST, "conference " + conference
            + " has ended: add the participant by its FriendlyName to start a new one");
      }
      return Optional.of(found);
    }
    return all.stream()
        .filter(c -> c.friendlyName().equals(conference) && !c.status().equals("completed"))
        .findFirst();
  }

  private static int timeout(TwilioForm params) {
    Optional<String> value = params.first("Timeout");
    if (value.isEmpty()) {
      return CallsResource.DEFAULT_TIMEOUT;
    }
    try {
      int seconds = Integer.parseInt(value.get());
      if (seconds >= MIN_TIMEOUT && seconds <= MAX_TIMEOUT) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // the error below
    }
    throw TwilioError.bad(TwilioError.CALLS_RESOURCE, "Timeout must be a number of seconds from "
        + MIN_TIMEOUT + " to " + MAX_TIMEOUT + ", not '" + value.get() + "'");
  }

  /**
   * {@code <Dial><Conference>} of room {@code name} with the participant's attributes, coaching
   * {@code coach} if any.
   */
  static String twiml(String name, TwilioForm params, Optional<String> coach) {
    StringBuilder out = new StringBuilder("<Response><Dial><Conference");
    coach.ifPresent(sid -> out.append(" coach=\"").append(escape(sid)).append('"'));
    ATTRIBUTES.forEach((parameter, attribute) -> {
      List<String> values = params.all(parameter);
      if (!values.isEmpty()) {
        String value = attribute.endsWith("Event") ? String.join(" ", values)
            : params.first(parameter).orElseThrow();
        out.append(' ').append(attribute).append("=\"").append(escape(value)).append('"');
      }
    });
    if (params.first("ConferenceStatusCallback").isPresent()
        && params.first("ConferenceStatusCallbackEvent").isEmpty()) {
      out.append(" statusCallbackEvent=\"start end\"");
    }
    return out.append('>').append(escape(name)).append("</Conference></Dial></Response>")
        .toString();
  }

  /** The document, once the TwiML parser accepts it; else 400 with the parser's reason. */
  private String checked(String twiml) {
    try {
      parser.parse(twiml, DOCUMENT);
      return twiml;
    } catch (TwimlException e) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "invalid participant: " + e.getMessage());
    }
  }

  private static String escape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&apos;");
  }
}
