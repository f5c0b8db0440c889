package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.compat.CompatHarness.decoded;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AmdOutcome;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

/**
 * The attributes of {@code <Dial>}'s {@code <Number>} and {@code <Sip>} legs built with the SDK's
 * {@code VoiceResponse}, run on the simulator: answering machine detection with its thresholds
 * ({@code AMD()} in the {@code switchboard-amd} dialplan, the simulator deciding as told by
 * {@code answeringMachine}) and its {@code amdStatusCallback}, the whisper {@code url} run on the
 * answered callee before the bridge, {@code sendDigits} played to the callee once it is bridged,
 * and a {@code <Sip>} leg's status callbacks.
 */
class TwimlDialLegsCompatTest extends CompatTest {
  private static final String PERSON = "+15550410001";
  private static final String VOICEMAIL_URI = "sip:voicemail@pbx.test";

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(
        new DialRule("*" + PERSON + "*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*voicemail@*", DialBehaviour.parse("answer-after-300"))));
    harness.sim.answeringMachine("*" + PERSON + "*", AmdOutcome.human(Duration.ofMillis(500)));
    harness.sim.answeringMachine("*voicemail@*", AmdOutcome.machine(Duration.ofMillis(600)));
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/whisper", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("You have a call.").build()).build()));
    harness.app.on("/dialed", "<Hangup/>");
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    String amd = harness.app.url("/amd").toString();
    return w -> TwimlVerbsCompatTest.verbs(switch (w.param("To")) {
      case "+15550008001" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeout(10)
              .number(new Number.Builder(PERSON).url(harness.app.url("/whisper"))
                  .method(HttpMethod.GET).sendDigits("12w#")
                  .machineDetection("Enable").machineDetectionTimeout(15)
                  .machineDetectionSpeechThreshold(2000).machineDetectionSpeechEndThreshold(1000)
                  .machineDetectionSilenceTimeout(3000)
                  .amdStatusCallback(amd).amdStatusCallbackMethod(HttpMethod.GET).build())
              .build())
          .build();
      case "+15550008002" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeout(10)
              .sip(new Sip.Builder(VOICEMAIL_URI).url(harness.app.url("/whisper"))
                  .method(HttpMethod.POST)
                  .statusCallback(harness.app.url("/sip-status"))
                  .statusCallbackMethod(HttpMethod.POST)
                  .statusCallbackEvents(List.of(Sip.Event.INITIATED, Sip.Event.RINGING,
                      Sip.Event.ANSWERED, Sip.Event.COMPLETED))
                  .machineDetection("DetectMessageEnd").machineDetectionTimeout(20)
                  .machineDetectionSpeechThreshold(3000).machineDetectionSpeechEndThreshold(1500)
                  .machineDetectionSilenceTimeout(4000)
                  .amdStatusCallback(amd).amdStatusCallbackMethod(HttpMethod.POST).build())
              .build())
          .build();
      case "+15550008003" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeout(10)
              .number(new Number.Builder(PERSON).url(harness.app.url("/whisper"))
                  .machineDetection("Enable").build())
              .build())
          .build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  @Test
  void numberRunsDetectionThenTheWhisperThenSendsDigits() {
    String channel = h.sim.inboundCall("+15557770801", "+15550008001");
    String sid = CompatHarness.callSid(channel);
    SimLog.Request detection = detection("amd-3000-2000-1000-15000-0-0");
    String leg = channelOf(detection);

    WebhookApp.Webhook verdict = h.app.await(w -> w.path().equals("/amd")
        && "human".equals(w.param("AnsweredBy")), "the AMD callback", CompatHarness.WAIT);
    assertEquals("GET", verdict.method());
    String legSid = verdict.param("CallSid");
    assertTrue(Long.parseLong(verdict.param("MachineDetectionDuration")) > 0, verdict.params()
        .toString());
    WebhookApp.Webhook whisper = h.app.await("/whisper", legSid, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", whisper.method());
    assertEquals(sid, whisper.param("ParentCallSid"));
    assertNull(whisper.param("AnsweredBy"), "with amdStatusCallback the verdict goes there");

    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)
        && b.channels().contains(leg)), "caller and callee bridged after the whisper");
    SimLog.Request whisperPlay = only(h.ari("POST", leg + "/play"), "the whisper's <Say>");
    assertTrue(!whisperPlay.at().isBefore(detection.at()), "detected before the whisper");
    h.awaitTrue(() -> !h.ari("POST", leg + "/dtmf").isEmpty(), "the digits sent");
    SimLog.Request digits = only(h.ari("POST", leg + "/dtmf"), "sendDigits");
    assertTrue(decoded(digits).contains("dtmf=12w#"), decoded(digits));
    assertFalse(digits.at().isBefore(whisperPlay.at()), "the digits follow the whisper");

    h.sim.callerHangup(channel);
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed", "DialBridged", "true"), CompatHarness.WAIT);
    assertEquals(legSid, dialed.param("DialCallSid"));
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void sipLegReportsItsStatusDetectsTheMessageEndAndWhispers() {
    String channel = h.sim.inboundCall("+15557770802", "+15550008002");
    String sid = CompatHarness.callSid(channel);
    SimLog.Request detection = detection("amd-4000-3000-1500-20000-1200-20");
    String leg = channelOf(detection);

    WebhookApp.Webhook verdict = h.app.await(w -> w.path().equals("/amd")
        && "machine_end_silence".equals(w.param("AnsweredBy")), "the AMD callback",
        CompatHarness.WAIT);
    assertEquals("POST", verdict.method());
    String legSid = verdict.param("CallSid");
    WebhookApp.Webhook whisper = h.app.await("/whisper", legSid, Map.of(), CompatHarness.WAIT);
    assertEquals("POST", whisper.method());
    assertEquals(sid, whisper.param("ParentCallSid"));
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)
        && b.channels().contains(leg)), "caller and the SIP callee bridged after the whisper");
    assertTrue(h.ari("POST", "/channels").stream().anyMatch(r -> decoded(r).contains("PJSIP/")
        && decoded(r).contains(VOICEMAIL_URI)), "the leg dialled over PJSIP");

    h.sim.callerHangup(channel);
    h.app.await("/dialed", sid, Map.of("DialCallStatus", "completed", "DialBridged", "true",
        "DialCallSid", legSid), CompatHarness.WAIT);
    for (String status : List.of("initiated", "ringing", "in-progress", "completed")) {
      WebhookApp.Webhook event = h.app.await("/sip-status", legSid,
          Map.of("CallStatus", status), CompatHarness.WAIT);
      assertEquals("POST", event.method());
      assertEquals(sid, event.param("ParentCallSid"), event.params().toString());
    }
  }

  @Test
  void withoutAmdStatusCallbackTheWhisperCarriesAnsweredBy() {
    String channel = h.sim.inboundCall("+15557770803", "+15550008003");
    String sid = CompatHarness.callSid(channel);
    String leg = channelOf(detection("amd-5000-2400-1200-30000-0-0"));
    WebhookApp.Webhook whisper = h.app.await(w -> w.path().equals("/whisper")
        && sid.equals(w.param("ParentCallSid")), "the whisper", CompatHarness.WAIT);
    assertEquals("human", whisper.param("AnsweredBy"), whisper.params().toString());
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)
        && b.channels().contains(leg)), "caller and callee bridged after the whisper");
    h.sim.callerHangup(channel);
    h.app.await("/dialed", sid, Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    String legSid = whisper.param("CallSid");
    assertTrue(h.app.webhooks().stream().noneMatch(w -> w.path().equals("/amd")
        && legSid.equals(w.param("CallSid"))), "no AMD callback without amdStatusCallback");
  }

  /** The leg's {@code continue} into the detection dialplan with {@code extension}. */
  private SimLog.Request detection(String extension) {
    h.awaitTrue(() -> h.ari("POST", "/continue").stream().anyMatch(r -> decoded(r)
        .contains("extension=" + extension)), "the leg continued into AMD with " + extension);
    SimLog.Request r = h.ari("POST", "/continue").stream()
        .filter(c -> decoded(c).contains("extension=" + extension)).findFirst().orElseThrow();
    assertTrue(decoded(r).contains("context=switchboard-amd"), decoded(r));
    return r;
  }

  /** The channel id of a {@code /channels/{id}/...} request. */
  private static String channelOf(SimLog.Request r) {
    String path = r.path();
    int at = path.indexOf("/channels/") + "/channels/".length();
    return path.substring(at, path.indexOf('/', at));
  }

  private static SimLog.Request only(List<SimLog.Request> requests, String what) {
    assertEquals(1, requests.size(), what + ": " + requests);
    return requests.get(0);
  }
}
