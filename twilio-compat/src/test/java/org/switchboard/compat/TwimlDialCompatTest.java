package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Conference;
import com.twilio.rest.api.v2010.account.conference.Participant;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

/**
 * {@code <Dial>} and {@code <Dial><Conference>} attributes built with the Twilio SDK's {@code
 * VoiceResponse}, run on calls through the simulator: recording from answer with its callbacks,
 * {@code answerOnBridge}, {@code hangupOnStar}, {@code sequential}, {@code ringTone} and {@code
 * timeLimit}; a moderated conference ({@code startConferenceOnEnter}, {@code endConferenceOnExit},
 * {@code muted}, {@code participantLabel}, {@code maxParticipants}, status callbacks). Each
 * webhook is validated by the SDK's {@code RequestValidator}.
 */
class TwimlDialCompatTest extends CompatTest {
  private static final String CALLEE = "+15550400888";
  private static final String BUSY = "+15550400889";
  private static final String ROOM = "sdk-room";

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(
        new DialRule("*" + CALLEE + "*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*" + BUSY + "*", DialBehaviour.parse("busy-after-500"))));
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/dialed", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("The call is over.").build())
        .hangup(new Hangup.Builder().build()).build()));
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    return w -> TwimlVerbsCompatTest.verbs(switch (w.param("To")) {
      case "+15550006001" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).method(HttpMethod.POST)
              .record(Dial.Record.RECORD_FROM_ANSWER)
              .recordingStatusCallback(harness.app.url("/dial-rec"))
              .recordingStatusCallbackMethod(HttpMethod.POST)
              .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.IN_PROGRESS,
                  Dial.RecordingEvent.COMPLETED))
              .hangupOnStar(true).answerOnBridge(true)
              .number(new Number.Builder(CALLEE).build()).build())
          .build();
      case "+15550006002" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeout(10)
              .sequential(true).ringTone(Dial.RingTone.UK).timeLimit(1)
              .number(new Number.Builder(BUSY).build())
              .number(new Number.Builder(CALLEE).build()).build())
          .build();
      case "+15550006003" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().conference(new com.twilio.twiml.voice.Conference.Builder(ROOM)
              .muted(true).beep(com.twilio.twiml.voice.Conference.Beep.FALSE)
              .startConferenceOnEnter(false).participantLabel("agent")
              .statusCallback(harness.app.url("/tconf")).statusCallbackMethod(HttpMethod.POST)
              .statusCallbackEvents(List.of(com.twilio.twiml.voice.Conference.Event.START,
                  com.twilio.twiml.voice.Conference.Event.END,
                  com.twilio.twiml.voice.Conference.Event.JOIN,
                  com.twilio.twiml.voice.Conference.Event.LEAVE)).build()).build())
          .say(new Say.Builder("The conference is over.").build())
          .build();
      case "+15550006004" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/conf-done"))
              .conference(new com.twilio.twiml.voice.Conference.Builder(ROOM)
                  .startConferenceOnEnter(true).endConferenceOnExit(true).maxParticipants(2)
                  .build()).build())
          .build();
      case "+15550006005" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeLimit(3)
              .record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
              .recordingStatusCallback(harness.app.url("/dual-rec"))
              .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.IN_PROGRESS,
                  Dial.RecordingEvent.COMPLETED))
              .number(new Number.Builder(CALLEE).build()).build())
          .build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  @Test
  void dialRecordsFromAnswerAnswersOnBridgeAndHangsUpOnStar() {
    String channel = h.sim.inboundCall("+15557770601", "+15550006001");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)),
        "caller and callee bridged");
    SimLog.Request originate = originate(CALLEE);
    List<SimLog.Request> answers = h.ari("POST", channel + "/answer");
    assertEquals(1, answers.size());
    assertFalse(answers.get(0).at().isBefore(originate.at()),
        "answerOnBridge: the caller is answered once the callee is, not before it is dialled");
    assertFalse(h.ari("POST", channel + "/ring").isEmpty(), "the caller hears ringing meanwhile");
    h.awaitTrue(() -> h.ari("POST", "/bridges/").stream()
        .anyMatch(r -> r.path().endsWith("/record")), "the bridge recorded");
    WebhookApp.Webhook started = h.app.await("/dial-rec", sid,
        Map.of("RecordingStatus", "in-progress"), CompatHarness.WAIT);

    h.sim.pressDtmf(channel, "*");
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    assertEquals(started.param("RecordingSid"), dialed.param("RecordingSid"));
    assertNotNull(dialed.param("RecordingUrl"));
    WebhookApp.Webhook completed = h.app.await("/dial-rec", sid,
        Map.of("RecordingStatus", "completed"), CompatHarness.WAIT);
    assertEquals("DialVerb", completed.param("RecordingSource"));
    assertEquals(started.param("RecordingSid"), completed.param("RecordingSid"));
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(h.ari("POST", channel + "/play").size() >= 1,
        "after * the caller's call went on to the action's TwiML");
  }

  @Test
  void sequentialDialWithRingToneAndTimeLimit() {
    String channel = h.sim.inboundCall("+15557770602", "+15550006002");
    String sid = CompatHarness.callSid(channel);
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    SimLog.Request busy = originate(BUSY);
    SimLog.Request callee = originate(CALLEE);
    assertTrue(Duration.between(busy.at(), callee.at()).toMillis() >= 400,
        "sequential: the second number is dialled once the first (busy after 0.5 s) failed: "
            + busy + " then " + callee);
    assertTrue(h.ari("POST", channel + "/play").stream().anyMatch(r -> decoded(r)
        .contains("tone:ring;tonezone=uk")), "the UK ring tone played to the caller");
    // Neither side hangs up here: only timeLimit can have ended the bridged dial.
    assertEquals("true", dialed.param("DialBridged"), dialed.params().toString());
    assertTrue(Integer.parseInt(dialed.param("DialCallDuration")) >= 1, dialed.params().toString());
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(h.ari("POST", channel + "/play").stream().anyMatch(r -> !decoded(r)
        .contains("tone:ring")), "the caller's call went on to the action's TwiML");
  }

  @Test
  void aModeratedConferenceThroughTheSdk() {
    String agentChannel = h.sim.inboundCall("+15557770603", "+15550006003");
    String agent = CompatHarness.callSid(agentChannel);
    h.app.await("/tconf", agent, Map.of("StatusCallbackEvent", "participant-join",
        "ParticipantLabel", "agent"), CompatHarness.WAIT);
    h.awaitTrue(() -> !h.ari("POST", agentChannel + "/moh").isEmpty()
        && h.ari("POST", agentChannel + "/mute").stream()
            .anyMatch(r -> r.query().contains("direction=in")),
        "the muted agent waits with music");
    List<Conference> waiting = all(Conference.reader().setFriendlyName(ROOM)
        .setStatus(Conference.Status.INIT).read(h.twilio));
    assertEquals(1, waiting.size(), "not started by the agent: " + waiting);

    String hostChannel = h.sim.inboundCall("+15557770604", "+15550006004");
    String host = CompatHarness.callSid(hostChannel);
    h.app.await("/tconf", host, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    h.app.await(w -> w.path().equals("/tconf")
        && "conference-start".equals(w.param("StatusCallbackEvent")), "conference-start",
        CompatHarness.WAIT);
    h.awaitTrue(() -> !h.ari("DELETE", agentChannel + "/moh").isEmpty(),
        "the music stops when the host starts the conference");
    String sid = waiting.get(0).getSid();
    Map<String, Participant> in = all(Participant.reader(sid).read(h.twilio)).stream()
        .collect(Collectors.toMap(Participant::getCallSid, p -> p));
    assertEquals("agent", in.get(agent).getLabel());
    assertTrue(in.get(agent).getMuted());
    assertFalse(in.get(agent).getStartConferenceOnEnter());
    assertTrue(in.get(host).getEndConferenceOnExit());

    String thirdChannel = h.sim.inboundCall("+15557770605", "+15550006004");
    String third = CompatHarness.callSid(thirdChannel);
    h.app.await("/conf-done", third, Map.of("DialCallStatus", "failed"), CompatHarness.WAIT);
    assertFalse(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/tconf")
        && third.equals(w.param("CallSid"))), "maxParticipants=2: the third is not let in");

    h.sim.callerHangup(hostChannel);
    h.app.await(w -> w.path().equals("/tconf")
        && "conference-end".equals(w.param("StatusCallbackEvent"))
        && "participant-with-end-conference-on-exit-left".equals(
            w.param("ReasonConferenceEnded")), "conference-end by the host", CompatHarness.WAIT);
    h.app.await("/tconf", agent, Map.of("StatusCallbackEvent", "participant-leave"),
        CompatHarness.WAIT);
    h.app.await("/status", agent, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(h.ari("POST", agentChannel + "/play").size() >= 1,
        "the agent's call went on after its <Dial>");
  }

  @Test
  void recordFromAnswerDualRecordsTheCallerLeftAndTheCalleeRight() throws Exception {
    String channel = h.sim.inboundCall("+15557770605", "+15550006005");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)),
        "caller and callee bridged");
    h.awaitTrue(() -> h.ari("POST", "/record").stream()
        .filter(r -> r.path().contains(sid + "-dialrec-")).count() == 2,
        "each party's snoop recorded");
    assertEquals(List.of("in", "out"), h.ari("POST", channel + "/snoop").stream()
        .map(r -> decoded(r).replaceAll(".*spy=(\\w+).*", "$1")).sorted().toList(),
        "the caller's voice and what it hears");
    assertTrue(h.ari("POST", "/bridges/").stream().noneMatch(r -> r.path().endsWith("/record")
        && r.path().contains(sid)), "not the mixed bridge");
    h.sim.speak(channel, Duration.ofSeconds(1));
    WebhookApp.Webhook started = h.app.await("/dual-rec", sid,
        Map.of("RecordingStatus", "in-progress"), CompatHarness.WAIT);
    assertEquals("2", started.param("RecordingChannels"));
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    WebhookApp.Webhook completed = h.app.await("/dual-rec", sid,
        Map.of("RecordingStatus", "completed"), CompatHarness.WAIT);
    String recordingSid = completed.param("RecordingSid");
    assertEquals(dialed.param("RecordingSid"), recordingSid);
    assertEquals("2", completed.param("RecordingChannels"));
    assertEquals("DialVerb", completed.param("RecordingSource"));
    assertEquals(Integer.valueOf(2), com.twilio.rest.api.v2010.account.Recording
        .fetcher(recordingSid).fetch(h.twilio).getChannels());
    byte[] wav = RecordingsCompatTest.get(java.net.URI.create(
        completed.param("RecordingUrl") + ".wav"));
    assertEquals(2, java.nio.ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getShort(22), "a stereo WAV");
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  /** The latest originate of {@code number} (tests of this class dial the same numbers). */
  private SimLog.Request originate(String number) {
    return h.ari("POST", "/channels").stream()
        .filter(r -> (r.path() + r.query() + r.body()).contains(number.substring(1)))
        .reduce((first, later) -> later)
        .orElseThrow(() -> new AssertionError("no originate of " + number));
  }

  private static String decoded(SimLog.Request r) {
    return URLDecoder.decode(r.query() + r.body(), StandardCharsets.UTF_8);
  }
}
