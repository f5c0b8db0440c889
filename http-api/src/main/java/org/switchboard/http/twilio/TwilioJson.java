package org.switchboard.http.twilio;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.ConferenceControl.ConferenceInfo;
import org.switchboard.http.api.ConferenceControl.ParticipantInfo;
import org.switchboard.http.api.QueueControl.MemberInfo;
import org.switchboard.http.api.QueueControl.QueueInfo;
import org.switchboard.http.api.RecordingStore.RecordingInfo;
import org.switchboard.http.api.RecordingStore.TranscriptionInfo;
import org.switchboard.http.api.RecordingUrls;

/**
 * The Twilio resources as JSON maps with Twilio's field names (snake_case), dates in RFC 2822 GMT
 * ({@code Fri, 20 Aug 2010 01:13:42 +0000}), durations as strings of seconds, nulls kept.
 */
public final class TwilioJson {
  /** The API version written in every resource. */
  public static final String API_VERSION = "2010-04-01";

  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final String accountSid;
  private final RecordingUrls recordingUrls;

  /** JSON of resources owned by {@code accountSid}. */
  public TwilioJson(String accountSid, RecordingUrls recordingUrls) {
    this.accountSid = accountSid;
    this.recordingUrls = recordingUrls;
  }

  /** {@code /2010-04-01/Accounts/{AccountSid}}. */
  public String accountPath() {
    return "/" + API_VERSION + "/Accounts/" + accountSid;
  }

  /** RFC 2822 in GMT. */
  public static String date(Instant instant) {
    return RFC_2822.format(instant);
  }

  private static String date(Optional<Instant> instant) {
    return instant.map(TwilioJson::date).orElse(null);
  }

  /** The Call resource. */
  public Map<String, Object> call(CallInfo call) {
    String uri = accountPath() + "/Calls/" + call.sid();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sid", call.sid());
    json.put("account_sid", accountSid);
    json.put("parent_call_sid", call.parentCallSid().orElse(null));
    json.put("date_created", date(call.dateCreated()));
    json.put("date_updated", date(call.dateUpdated()));
    json.put("to", call.to());
    json.put("to_formatted", formatted(call.to()));
    json.put("from", call.from());
    json.put("from_formatted", formatted(call.from()));
    json.put("phone_number_sid", null);
    json.put("status", call.status().wire());
    json.put("start_time", date(call.startTime()));
    json.put("end_time", date(call.endTime()));
    json.put("duration", call.duration().map(d -> Long.toString(d.toSeconds())).orElse(null));
    json.put("price", null);
    json.put("price_unit", "USD");
    json.put("direction", call.direction());
    json.put("answered_by", call.answeredBy().orElse(null));
    json.put("annotation", null);
    json.put("api_version", API_VERSION);
    json.put("forwarded_from", call.forwardedFrom().orElse(null));
    json.put("group_sid", null);
    json.put("caller_name", call.callerName().orElse(null));
    json.put("queue_time", Long.toString(call.queueTime().map(Duration::toMillis).orElse(0L)));
    json.put("trunk_sid", null);
    json.put("uri", uri + ".json");
    json.put("subresource_uris", Map.of("recordings", uri + "/Recordings.json"));
    return json;
  }

  /** The Recording resource; {@code media_url} is a signed, expiring URL of the audio. */
  public Map<String, Object> recording(RecordingInfo recording) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sid", recording.sid());
    json.put("account_sid", accountSid);
    json.put("api_version", API_VERSION);
    json.put("call_sid", recording.callSid());
    json.put("conference_sid", recording.conferenceSid().orElse(null));
    json.put("date_created", date(recording.dateCreated()));
    json.put("date_updated", date(recording.dateUpdated()));
    json.put("start_time", date(recording.startTime()));
    json.put("duration",
        recording.duration().map(d -> Long.toString(d.toSeconds())).orElse(null));
    json.put("channels", recording.channels());
    json.put("source", recording.source());
    json.put("status", recording.status());
    json.put("error_code", recording.errorCode().orElse(null));
    json.put("price", null);
    json.put("price_unit", "USD");
    json.put("encryption_details", null);
    json.put("uri", accountPath() + "/Recordings/" + recording.sid() + ".json");
    json.put("media_url", recordingUrls.recordingUrl(recording.sid()).toString());
    json.put("subresource_uris", Map.of("transcriptions",
        accountPath() + "/Recordings/" + recording.sid() + "/Transcriptions.json"));
    return json;
  }

  /** The Transcription resource (of a {@code <Record transcribe>} recording). */
  public Map<String, Object> transcription(TranscriptionInfo transcription) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("account_sid", accountSid);
    json.put("api_version", API_VERSION);
    json.put("date_created", date(transcription.dateCreated()));
    json.put("date_updated", date(transcription.dateUpdated()));
    json.put("duration", Integer.toString(transcription.durationSeconds()));
    json.put("price", null);
    json.put("price_unit", "USD");
    json.put("recording_sid", transcription.recordingSid());
    json.put("sid", transcription.sid());
    json.put("status", transcription.status());
    json.put("transcription_text", transcription.text());
    json.put("type", "fast");
    json.put("uri", accountPath() + "/Transcriptions/" + transcription.sid() + ".json");
    return json;
  }

  /** The Queue resource. */
  public Map<String, Object> queue(QueueInfo queue) {
    String uri = accountPath() + "/Queues/" + queue.sid();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sid", queue.sid());
    json.put("account_sid", accountSid);
    json.put("friendly_name", queue.friendlyName());
    json.put("current_size", queue.currentSize());
    json.put("max_size", queue.maxSize());
    json.put("average_wait_time", queue.averageWaitSeconds());
    json.put("date_created", date(queue.dateCreated()));
    json.put("date_updated", date(queue.dateUpdated()));
    json.put("uri", uri + ".json");
    json.put("subresource_uris", Map.of("members", uri + "/Members.json"));
    return json;
  }

  /** The Member resource. */
  public Map<String, Object> member(MemberInfo member) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("call_sid", member.callSid());
    json.put("queue_sid", member.queueSid());
    json.put("date_enqueued", date(member.dateEnqueued()));
    json.put("position", member.position());
    json.put("wait_time", member.waitSeconds());
    json.put("uri", accountPath() + "/Queues/" + member.queueSid() + "/Members/"
        + member.callSid() + ".json");
    return json;
  }

  /** The Conference resource. */
  public Map<String, Object> conference(ConferenceInfo conference) {
    String uri = accountPath() + "/Conferences/" + conference.sid();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("account_sid", accountSid);
    json.put("date_created", date(conference.dateCreated()));
    json.put("date_updated", date(conference.dateUpdated()));
    json.put("api_version", API_VERSION);
    json.put("friendly_name", conference.friendlyName());
    json.put("region", "us1");
    json.put("sid", conference.sid());
    json.put("status", conference.status());
    json.put("uri", uri + ".json");
    json.put("subresource_uris", Map.of("participants", uri + "/Participants.json",
        "recordings", uri + "/Recordings.json"));
    json.put("reason_conference_ended", conference.reasonEnded().orElse(null));
    json.put("call_sid_ending_conference", conference.callSidEndingConference().orElse(null));
    return json;
  }

  /** The Participant resource (a participant in a running conference is {@code connected}). */
  public Map<String, Object> participant(ParticipantInfo participant) {
    return participant(participant, "connected");
  }

  /**
   * The Participant resource with its {@code status}: {@code queued} when just created, {@code
   * connected} once in the conference.
   */
  public Map<String, Object> participant(ParticipantInfo participant, String status) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("account_sid", accountSid);
    json.put("call_sid", participant.callSid());
    json.put("label", participant.label().orElse(null));
    json.put("call_sid_to_coach", participant.callSidToCoach().orElse(null));
    json.put("coaching", participant.callSidToCoach().isPresent());
    json.put("conference_sid", participant.conferenceSid());
    json.put("date_created", date(participant.dateCreated()));
    json.put("date_updated", date(participant.dateUpdated()));
    json.put("end_conference_on_exit", participant.endConferenceOnExit());
    json.put("muted", participant.muted());
    json.put("hold", participant.hold());
    json.put("start_conference_on_enter", participant.startConferenceOnEnter());
    json.put("status", status);
    json.put("queue_time", null);
    json.put("uri", accountPath() + "/Conferences/" + participant.conferenceSid()
        + "/Participants/" + participant.callSid() + ".json");
    return json;
  }

  /** A number formatted for display: NANP numbers as {@code (415) 555-1212}, others as given. */
  static String formatted(String number) {
    if (number != null && number.matches("\\+1\\d{10}")) {
      return "(" + number.substring(2, 5) + ") " + number.substring(5, 8) + "-"
          + number.substring(8);
    }
    return number;
  }
}
