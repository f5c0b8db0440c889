package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

/**
 * {@code <Gather bargeIn>}, {@code <Dial recordingTrack trim>} and {@code <Dial referUrl
 * referMethod>}, the TwiML built with the SDK's {@code VoiceResponse}, run on calls through the
 * simulator; each webhook validated by the SDK's {@code RequestValidator}.
 */
class TwimlTransferAndTrimCompatTest extends CompatTest {
  private static final String CALLEE = "+15550400777";
  private static final String MENU = "+15550007001";
  private static final String MENU_NO_BARGE_IN = "+15550007002";
  private static final String ONE_TRACK_TRIMMED = "+15550007003";
  private static final String TRANSFERABLE = "+15550007004";
  private static final String PROMPT = "For the help desk press one. For the front office press "
      + "two.";

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(
        new DialRule("*" + CALLEE + "*", DialBehaviour.parse("answer-after-300"))));
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/gathered", "<Hangup/>");
    harness.app.on("/dialed", "<Hangup/>");
    harness.app.on("/refer", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("Transferring you to " + w.param("ReferTransferTarget")).build())
        .hangup(new Hangup.Builder().build()).build()));
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    return w -> TwimlVerbsCompatTest.verbs(switch (w.param("To")) {
      case MENU, MENU_NO_BARGE_IN -> {
        Gather.Builder gather = new Gather.Builder().action(harness.app.url("/gathered"))
            .numDigits(1).say(new Say.Builder(PROMPT).build());
        if (w.param("To").equals(MENU_NO_BARGE_IN)) {
          gather.bargeIn(false);
        }
        yield new VoiceResponse.Builder().gather(gather.build()).build();
      }
      case ONE_TRACK_TRIMMED -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).timeLimit(5)
              .record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
              .recordingTrack(Dial.RecordingTrack.INBOUND).trim(Dial.Trim.TRIM_SILENCE)
              .recordingStatusCallback(harness.app.url("/dial-rec"))
              .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.COMPLETED))
              .number(new Number.Builder(CALLEE).build()).build())
          .build();
      case TRANSFERABLE -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed"))
              .referUrl(harness.app.url("/refer")).referMethod(HttpMethod.GET)
              .number(new Number.Builder(CALLEE).build()).build())
          .build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  /** A call to {@code menu}: the key {@code 2} pressed while its prompt plays. */
  private String pressDuringThePrompt(String caller, String menu) {
    String channel = h.sim.inboundCall(caller, menu);
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.playbacks().stream().anyMatch(p -> p.startsWith(sid)),
        "the prompt plays");
    h.sim.pressDtmf(channel, "2");
    WebhookApp.Webhook gathered = h.app.await("/gathered", sid, Map.of(), CompatHarness.WAIT);
    assertEquals("2", gathered.param("Digits"));
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    return sid;
  }

  private List<SimLog.Request> stops(String sid) {
    return h.ari("DELETE", "/playbacks/" + sid);
  }

  @Test
  void gatherBargeInFalsePlaysThePromptToItsEndWhileTheKeyIsCollected() {
    String interrupted = pressDuringThePrompt("+15557770701", MENU);
    assertEquals(1, stops(interrupted).size(), "by default the key stops the prompt");
    String whole = pressDuringThePrompt("+15557770702", MENU_NO_BARGE_IN);
    assertEquals(List.of(), stops(whole), "bargeIn=false: the prompt is not stopped");
    assertTrue(h.sim.log().events().stream().anyMatch(e -> e.type().equals("PlaybackFinished")
        && e.json().contains(whole)), "the prompt played to its end");
  }

  @Test
  void dialRecordsTheInboundTrackInOneChannelTrimmedOfSilence() throws Exception {
    String channel = h.sim.inboundCall("+15557770703", ONE_TRACK_TRIMMED);
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.ari("POST", "/record").stream()
        .anyMatch(r -> r.path().contains(sid + "-dialrec-")), "the caller's snoop recorded");
    List<String> spies = h.ari("POST", channel + "/snoop").stream()
        .map(r -> URLDecoder.decode(r.query() + r.body(), StandardCharsets.UTF_8)
            .replaceAll(".*spy=(\\w+).*", "$1")).toList();
    assertEquals(List.of("in"), spies, "inbound: only what the caller says, one snoop");
    assertTrue(h.ari("POST", "/bridges/").stream().noneMatch(r -> r.path().endsWith("/record")),
        "not the mixed bridge");
    h.sim.speak(channel, TwimlAttributesCompatTest.wav(1500, 2000));
    WebhookApp.Webhook completed = h.app.await("/dial-rec", sid,
        Map.of("RecordingStatus", "completed"), CompatHarness.WAIT);
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    String recordingSid = completed.param("RecordingSid");
    assertEquals("1", completed.param("RecordingChannels"));
    assertEquals(recordingSid, dialed.param("RecordingSid"));
    double stored = TwimlAttributesCompatTest.seconds(Files.readAllBytes(
        h.dir.resolve("recordings").resolve(recordingSid + ".wav")));
    int duration = Integer.parseInt(completed.param("RecordingDuration"));
    assertTrue(duration >= 1 && duration <= stored - 2, "the speech kept, not the silence "
        + "around it: " + duration + " s of a " + stored + " s file");
    assertEquals(completed.param("RecordingDuration"), dialed.param("RecordingDuration"));
    double served = TwimlAttributesCompatTest.seconds(RecordingsCompatTest.get(
        URI.create(completed.param("RecordingUrl") + ".wav")));
    assertTrue(served >= duration && served < duration + 1,
        "the served file is the kept part: " + served + " s for " + duration);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void aReferFromTheCalleeRequestsTheReferUrlAndRunsItsTwimlOnTheCaller() {
    String channel = h.sim.inboundCall("+15557770704", TRANSFERABLE);
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)),
        "caller and callee bridged");
    String leg = h.sim.bridges().stream().filter(b -> b.channels().contains(channel))
        .flatMap(b -> b.channels().stream()).filter(c -> !c.equals(channel)).findFirst()
        .orElseThrow();
    h.awaitTrue(() -> h.ari("POST", leg + "/variable").stream().anyMatch(r -> URLDecoder
        .decode(r.query() + r.body(), StandardCharsets.UTF_8)
        .contains("PJSIP_TRANSFER_HANDLING()")), "the callee's REFERs go to ARI");

    int playsBefore = h.ari("POST", channel + "/play").size();
    h.sim.refer(leg, "agentb");
    WebhookApp.Webhook refer = h.app.await("/refer", sid, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", refer.method(), "referMethod");
    assertEquals("agentb", refer.param("ReferTransferTarget"));
    assertEquals(sid, refer.param("CallSid"));
    assertTrue(h.ari("POST", leg + "/transfer_progress").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("channel_answered")),
        "the callee's phone is told the transfer succeeded (NOTIFY 200)");
    h.awaitTrue(() -> !h.ari("DELETE", "/channels/" + leg).isEmpty(), "the callee released");
    h.awaitTrue(() -> h.ari("POST", channel + "/play").size() > playsBefore,
        "the referUrl's <Say> plays to the caller");
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertFalse(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/dialed")
        && sid.equals(w.param("CallSid"))), "the referUrl's TwiML, not the dial's action");
  }
}
