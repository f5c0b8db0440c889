package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Echo;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

/**
 * Verb attributes beyond the basics ({@link TwimlVerbsCompatTest}), the TwiML built with the SDK's
 * {@code VoiceResponse}, run on the simulator: {@code <Record trim>}, {@code <Conference waitUrl
 * record statusCallbackEvent="speaker" coach>}, {@code <Echo>}.
 */
class TwimlAttributesCompatTest extends CompatTest {
  private static final String TRIMMED = "+15550006001";
  private static final String UNTRIMMED = "+15550006002";
  private static final String HOST = "+15550006003";
  private static final String GUEST = "+15550006004";
  private static final String ECHO = "+15550006005";
  private static final String SIP_ANSWERS = "+15550006006";
  private static final String SIP_BUSY = "+15550006007";
  private static final String AGENT = "+15550006008";
  private static final String COACH = "+15550006009";
  private static final String SIP_AUTH = "+15550006010";

  /** The CallSid the {@link #COACH} caller's {@code <Conference coach>} names. */
  private final java.util.concurrent.atomic.AtomicReference<String> toCoach =
      new java.util.concurrent.atomic.AtomicReference<>();

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(
        new DialRule("*busy@*", DialBehaviour.parse("busy")),
        new DialRule("*bob@*", DialBehaviour.parse("answer"))));
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/recorded", "<Hangup/>");
    harness.app.on("/sip-dialed", "<Hangup/>");
    harness.app.on("/wait", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("Please wait for the host.").build())
        .pause(new Pause.Builder().length(1).build())
        .redirect(new Redirect.Builder(harness.app.url("/wait")).method(HttpMethod.GET).build())
        .build()));
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    return w -> TwimlVerbsCompatTest.verbs(switch (w.param("To")) {
      case TRIMMED -> new VoiceResponse.Builder()
          .record(new Record.Builder().action(harness.app.url("/recorded"))
              .method(HttpMethod.POST).timeout(2).playBeep(false).trim(Record.Trim.TRIM_SILENCE)
              .recordingStatusCallback(harness.app.url("/rec-status")).build())
          .build();
      case UNTRIMMED -> new VoiceResponse.Builder()
          .record(new Record.Builder().action(harness.app.url("/recorded"))
              .method(HttpMethod.POST).timeout(2).playBeep(false).trim(Record.Trim.DO_NOT_TRIM)
              .build())
          .build();
      case HOST -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().conference(new Conference.Builder("room-6003")
              .startConferenceOnEnter(false)
              .waitUrl(harness.app.url("/wait")).waitMethod(HttpMethod.GET)
              .record(Conference.Record.RECORD_FROM_START).trim(Conference.Trim.TRIM_SILENCE)
              .recordingStatusCallback(harness.app.url("/conf-rec"))
              .recordingStatusCallbackMethod(HttpMethod.POST)
              .recordingStatusCallbackEvents(List.of(Conference.RecordingEvent.IN_PROGRESS,
                  Conference.RecordingEvent.COMPLETED, Conference.RecordingEvent.ABSENT))
              .statusCallback(harness.app.url("/conf-status"))
              .statusCallbackMethod(HttpMethod.POST)
              .statusCallbackEvents(List.of(Conference.Event.START, Conference.Event.END,
                  Conference.Event.SPEAKER))
              .build()).build())
          .build();
      case GUEST -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().conference(new Conference.Builder("room-6003")
              .beep(Conference.Beep.FALSE).build()).build())
          .build();
      case ECHO -> new VoiceResponse.Builder().echo(new Echo.Builder().build()).build();
      case SIP_AUTH -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/sip-dialed")).timeout(10)
              .sip(new Sip.Builder("sip:bob@pbx.test").username("alice").password("s3cret")
                  .build()).build())
          .build();
      case AGENT -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().conference(new Conference.Builder("room-6008")
              .beep(Conference.Beep.FALSE).build()).build())
          .build();
      case COACH -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().conference(new Conference.Builder("room-6008")
              .beep(Conference.Beep.FALSE).coach(toCoach.get()).build()).build())
          .build();
      case SIP_ANSWERS, SIP_BUSY -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/sip-dialed")).timeout(10)
              .sip(new Sip.Builder(w.param("To").equals(SIP_ANSWERS)
                  ? "sip:bob@pbx.test" : "sip:busy@pbx.test").build()).build())
          .build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  /** The caller is silent for 1.5 s, then speaks for 2 s; the recording ends on 2 s of silence. */
  private WebhookApp.Webhook recordWithLeadingSilence(String callee) {
    String channel = h.sim.inboundCall("+15557770601", callee);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "the recording running");
    h.sim.speak(channel, wav(1500, 2000));
    return h.app.await("/recorded", CompatHarness.callSid(channel), Map.of(),
        CompatHarness.WAIT);
  }

  @Test
  void recordTrimsLeadingAndTrailingSilence() throws Exception {
    WebhookApp.Webhook recorded = recordWithLeadingSilence(TRIMMED);
    double stored = seconds(java.nio.file.Files.readAllBytes(
        h.dir.resolve("recordings").resolve(recorded.param("RecordingSid") + ".wav")));
    int duration = Integer.parseInt(recorded.param("RecordingDuration"));
    assertTrue(duration >= 1 && duration <= (int) stored - 1, "the speech kept, not the 1.5 s"
        + " before it: " + duration + " s of a " + stored + " s file");
    WebhookApp.Webhook callback = h.app.await("/rec-status", recorded.param("CallSid"),
        Map.of("RecordingStatus", "completed"), CompatHarness.WAIT);
    assertEquals(recorded.param("RecordingDuration"), callback.param("RecordingDuration"));
    double served = seconds(RecordingsCompatTest.get(
        URI.create(recorded.param("RecordingUrl") + ".wav")));
    assertTrue(served >= duration && served < duration + 1,
        "the served file is the kept part: " + served + " s for " + duration);
    assertTrue(stored - served >= 1.2, "1.5 s of leading silence cut (200 ms kept): "
        + stored + " s stored, " + served + " s served");
  }

  @Test
  void doNotTrimKeepsTheLeadingSilence() throws Exception {
    WebhookApp.Webhook recorded = recordWithLeadingSilence(UNTRIMMED);
    byte[] stored = java.nio.file.Files.readAllBytes(
        h.dir.resolve("recordings").resolve(recorded.param("RecordingSid") + ".wav"));
    assertEquals((int) seconds(stored), Integer.parseInt(recorded.param("RecordingDuration")),
        "Asterisk's own length, leading silence included: " + recorded.params());
    assertTrue(seconds(stored) >= 1.5, "the 1.5 s of silence are in: " + seconds(stored));
    byte[] served = RecordingsCompatTest.get(URI.create(recorded.param("RecordingUrl") + ".wav"));
    assertTrue(java.util.Arrays.equals(stored, served), "served whole: " + seconds(served) + " s");
  }

  @Test
  void conferenceRunsItsWaitUrlRecordsFromTheStartAndReportsSpeakers() {
    String host = h.sim.inboundCall("+15557770603", HOST);
    String hostSid = CompatHarness.callSid(host);
    WebhookApp.Webhook wait = h.app.await("/wait", hostSid, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", wait.method());
    h.awaitTrue(() -> h.ari("POST", host + "/play").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("-announce-wait-")),
        "the wait document's <Say> plays on the host's channel");
    h.app.await("/wait", hostSid, Map.of(), CompatHarness.WAIT);
    assertTrue(h.ari("POST", host + "/moh").isEmpty(), "no default music with a waitUrl");
    assertTrue(h.ari("POST", "/record").isEmpty(), "nothing recorded before the start");

    String guest = h.sim.inboundCall("+15557770604", GUEST);
    WebhookApp.Webhook started = any("/conf-status", Map.of("StatusCallbackEvent", "conference-start"));
    String conferenceSid = started.param("ConferenceSid");
    h.awaitTrue(() -> h.ari("POST", "/bridges/").stream()
        .anyMatch(r -> r.path().endsWith("/record")), "the bridge recorded from the start");
    WebhookApp.Webhook recording = any("/conf-rec", Map.of("RecordingStatus", "in-progress"));
    assertEquals(conferenceSid, recording.param("ConferenceSid"));
    assertEquals("Conference", recording.param("RecordingSource"));
    int waitsAtStart = h.app.webhooks().stream().filter(w -> w.path().equals("/wait")).toList()
        .size();
    for (String id : List.of(host, guest)) {
      h.awaitTrue(() -> h.ari("POST", id + "/variable").stream()
          .anyMatch(r -> decoded(r).contains("TALK_DETECT(set)")), "talk detection on " + id);
    }

    h.sim.speak(guest, java.time.Duration.ofMillis(3000));
    String guestSid = CompatHarness.callSid(guest);
    any("/conf-status", Map.of("StatusCallbackEvent", "participant-speech-start",
        "CallSid", guestSid));
    any("/conf-status", Map.of("StatusCallbackEvent", "participant-speech-stop",
        "CallSid", guestSid));

    h.sim.callerHangup(guest);
    h.sim.callerHangup(host);
    any("/conf-status", Map.of("StatusCallbackEvent", "conference-end"));
    WebhookApp.Webhook done = any("/conf-rec", Map.of("RecordingStatus", "completed"));
    assertEquals(conferenceSid, done.param("ConferenceSid"));
    assertEquals(recording.param("RecordingSid"), done.param("RecordingSid"));
    assertTrue(Integer.parseInt(done.param("RecordingDuration")) >= 1, done.params().toString());
    assertEquals(waitsAtStart, h.app.webhooks().stream()
        .filter(w -> w.path().equals("/wait")).toList().size(), "no wait request after the start");
  }

  @Test
  void conferenceCoachWhispersToTheCoachedParticipantOnly() {
    String agent = h.sim.inboundCall("+15557770608", AGENT);
    String agentSid = CompatHarness.callSid(agent);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(agent)),
        "the agent in the room");
    toCoach.set(agentSid);
    String coach = h.sim.inboundCall("+15557770609", COACH);
    String coachSid = CompatHarness.callSid(coach);
    h.awaitTrue(() -> h.ari("POST", "/addChannel").stream().anyMatch(r -> decoded(r)
        .contains(coach) && decoded(r).contains("mute=true")), "the coach in the room, muted");
    h.awaitTrue(() -> h.ari("POST", "/bridges/" + coachSid + "-br-coach/addChannel").stream()
        .anyMatch(r -> decoded(r).contains(coachSid + "-snoop-coach-1_")
            && decoded(r).contains(coachSid + "-snoop-coached-1_")),
        "the coach's voice and the agent's ear share the coach bridge");
    assertTrue(h.ari("POST", coach + "/snoop").stream()
        .anyMatch(r -> decoded(r).contains("spy=in")), "the coach's voice snooped");
    assertTrue(h.ari("POST", agent + "/snoop").stream()
        .anyMatch(r -> decoded(r).contains("whisper=out")), "whispered to the agent alone");
    assertTrue(h.ari("POST", "/addChannel").stream().noneMatch(r -> decoded(r).contains(agent)
        && decoded(r).contains("mute=true")), "the agent is heard in the room");
    h.sim.callerHangup(coach);
    h.awaitTrue(() -> h.ari("DELETE", "/bridges/" + coachSid + "-br-coach").size() == 1,
        "the coach bridge destroyed when the coach leaves");
    h.sim.callerHangup(agent);
    h.app.await("/status", agentSid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void echoSendsTheCallersAudioBackThroughTwoSnoops() {
    String channel = h.sim.inboundCall("+15557770605", ECHO);
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.ari("POST", "/addChannel").stream()
        .anyMatch(r -> decoded(r).contains(sid + "-echo-")), "the echo bridge joined");
    List<SimLog.Request> snoops = h.ari("POST", channel + "/snoop");
    assertEquals(2, snoops.size(), snoops.toString());
    assertTrue(decoded(snoops.get(0)).contains("spy=in"), decoded(snoops.get(0)));
    assertTrue(decoded(snoops.get(1)).contains("whisper=out"), decoded(snoops.get(1)));
    assertTrue(h.ari("POST", channel + "/answer").size() == 1, "answered first");
    h.sim.callerHangup(channel);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("DELETE", "/bridges/" + sid + "-br-echo-").size() == 1,
        "the echo bridge destroyed");
  }

  @Test
  void aSipDialReportsTheCallIdAndTheSipResponse() {
    String answered = h.sim.inboundCall("+15557770606", SIP_ANSWERS);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(answered)),
        "caller and SIP callee bridged");
    h.sim.callerHangup(answered);
    WebhookApp.Webhook done = h.app.await("/sip-dialed", CompatHarness.callSid(answered),
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    assertEquals("200", done.param("DialSipResponseCode"));
    assertTrue(done.param("DialSipCallId") != null && done.param("DialSipCallId").endsWith("@sim"),
        done.params().toString());
    assertTrue(h.ari("GET", "/variable").stream()
        .anyMatch(r -> decoded(r).contains("PJSIP_RESPONSE_HEADERS(X-)")),
        "the X-headers of the 200 OK asked for");

    String busy = h.sim.inboundCall("+15557770607", SIP_BUSY);
    WebhookApp.Webhook refused = h.app.await("/sip-dialed", CompatHarness.callSid(busy),
        Map.of("DialCallStatus", "busy"), CompatHarness.WAIT);
    assertEquals("486", refused.param("DialSipResponseCode"));
  }

  @Test
  void aSipDialWithCredentialsGoesThroughAnEndpointAndAuthOfItsOwn() {
    String caller = h.sim.inboundCall("+15557770610", SIP_AUTH);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(caller)),
        "caller and SIP callee bridged");
    SimLog.Request auth = h.ari("PUT", "/asterisk/config/dynamic/res_pjsip/auth/sb-sip-").get(0);
    String id = auth.path().substring(auth.path().lastIndexOf('/') + 1);
    assertEquals(Map.of("auth_type", "userpass", "username", "alice", "password", "s3cret"),
        Map.of("auth_type", field(id, "auth", "auth_type"), "username",
            field(id, "auth", "username"), "password", field(id, "auth", "password")));
    assertEquals(id, field(id, "endpoint", "outbound_auth"));
    SimLog.Request endpoint = h.ari("PUT", "/res_pjsip/endpoint/" + id).get(0);
    SimLog.Request originate = h.ari("POST", "/channels").stream()
        .filter(r -> decoded(r).contains("PJSIP/" + id + "/sip:bob@pbx.test")).findFirst()
        .orElseThrow(() -> new AssertionError("no originate through " + id));
    assertTrue(!endpoint.at().isAfter(originate.at()), "the endpoint made before the dial");
    h.sim.callerHangup(caller);
    h.app.await("/sip-dialed", CompatHarness.callSid(caller),
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    h.awaitTrue(() -> h.sim.configObject("res_pjsip", "endpoint", id).isEmpty()
        && h.sim.configObject("res_pjsip", "auth", id).isEmpty(),
        "the leg's endpoint and auth deleted after the dial");
  }

  private String field(String id, String type, String name) {
    return h.sim.configObject("res_pjsip", type, id).orElseThrow().get(name);
  }

  /** The first webhook to {@code path} with {@code with}, whichever call it concerns. */
  private WebhookApp.Webhook any(String path, Map<String, String> with) {
    return h.app.await(w -> w.path().equals(path) && with.entrySet().stream()
        .allMatch(e -> e.getValue().equals(w.param(e.getKey()))), path + " with " + with,
        CompatHarness.WAIT);
  }

  private static String decoded(SimLog.Request r) {
    return java.net.URLDecoder.decode(r.query() + r.body(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The length of a 16-bit mono PCM WAV with a 44-byte header. */
  static double seconds(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    return (wav.length - 44) / 2.0 / b.getInt(24);
  }

  /** {@code silentMs} of silence then {@code loudMs} of a 440 Hz tone, 8 kHz 16-bit mono WAV. */
  static byte[] wav(int silentMs, int loudMs) {
    int lead = silentMs * 8;
    int samples = lead + loudMs * 8;
    ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
        .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes()).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      b.putShort(i < lead ? 0 : (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    }
    return b.array();
  }
}
