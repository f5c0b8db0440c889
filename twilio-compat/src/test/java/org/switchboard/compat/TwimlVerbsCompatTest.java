package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Pay;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Refer;
import com.twilio.twiml.voice.ReferSip;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Sip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

/**
 * TwiML built with the Twilio SDK's {@code VoiceResponse} builders, run on calls through the
 * simulator: for each verb the ARI commands Switchboard sent and the webhooks the application got
 * (validated by the SDK's {@code RequestValidator}). {@link TwimlCatalogTest} classifies every
 * element and attribute the SDK offers; the rows marked supported name these tests.
 */
class TwimlVerbsCompatTest extends CompatTest {
  private static final String CALLEE = "+15550400777";
  private HttpServer audio;

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(
        new DialRule("*" + CALLEE + "*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*carol*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*bob*", DialBehaviour.parse("answer"))));
    audio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] wav = silence();
    audio.createContext("/hello.wav", x -> {
      x.getResponseHeaders().set("Content-Type", "audio/wav");
      x.sendResponseHeaders(200, wav.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(wav);
      }
    });
    audio.start();
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/gathered", w -> verbs(new VoiceResponse.Builder()
        .redirect(new Redirect.Builder(harness.app.url("/next")).method(HttpMethod.GET).build())
        .build()));
    harness.app.on("/next", w -> verbs(new VoiceResponse.Builder()
        .hangup(new Hangup.Builder().build()).build()));
    harness.app.on("/recorded", "<Hangup/>");
    harness.app.on("/dialed", "<Hangup/>");
    harness.app.on("/refer-failed", "<Hangup/>");
    harness.app.on("/refer-call", w -> verbs(new VoiceResponse.Builder()
        .refer(new Refer.Builder().action(harness.app.url("/referred")).method(HttpMethod.POST)
            .sip(new ReferSip.Builder("sip:bob@pbx.test?X-Case=7").build()).build())
        .build()));
    return harness;
  }

  /** The TwiML of each test's inbound call, chosen by the number it dialled. */
  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    return w -> verbs(switch (w.param("To")) {
      case "+15550005001" -> new VoiceResponse.Builder()
          .say(new Say.Builder("Welcome.").voice(Say.Voice.WOMAN).language(Say.Language.EN_US)
              .loop(2).build())
          .play(new Play.Builder(URI.create("http://127.0.0.1:" + audio.getAddress().getPort()
              + "/hello.wav").toString()).loop(1).build())
          .pause(new Pause.Builder().length(1).build())
          .gather(new Gather.Builder().inputs(Gather.Input.DTMF)
              .action(harness.app.url("/gathered")).method(HttpMethod.POST).timeout(5)
              .numDigits(2).finishOnKey("#")
              .say(new Say.Builder("Enter two digits.").build()).build())
          .build();
      case "+15550005002" -> new VoiceResponse.Builder()
          .record(new Record.Builder().action(harness.app.url("/recorded"))
              .method(HttpMethod.POST).timeout(3).finishOnKey("#").maxLength(5).playBeep(false)
              .recordingStatusCallback(harness.app.url("/rec-status"))
              .recordingStatusCallbackMethod(HttpMethod.POST)
              .recordingStatusCallbackEvents(List.of(Record.RecordingEvent.COMPLETED)).build())
          .build();
      case "+15550005003" -> new VoiceResponse.Builder()
          .dial(new Dial.Builder().action(harness.app.url("/dialed")).method(HttpMethod.POST)
              .timeout(10).callerId("+15550001111")
              .number(new Number.Builder(CALLEE).statusCallback(harness.app.url("/leg-status"))
                  .statusCallbackMethod(HttpMethod.POST)
                  .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING,
                      Number.Event.ANSWERED, Number.Event.COMPLETED)).build())
              .build())
          .build();
      case "+15550005005" -> new VoiceResponse.Builder()
          .refer(new Refer.Builder().action(harness.app.url("/refer-failed"))
              .sip(new ReferSip.Builder("sip:bob@pbx.test").build()).build())
          .build();
      case "+15550005006" -> new VoiceResponse.Builder()
          .reject(new Reject.Builder().reason(Reject.Reason.BUSY).build()).build();
      case "+15550005007" -> new VoiceResponse.Builder().hangup(new Hangup.Builder().build())
          .build();
      case "+15550005008" -> new VoiceResponse.Builder()
          .say(new Say.Builder("Your card, please.").build())
          .pay(new Pay.Builder().action(harness.app.url("/paid")).build()).build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  @Test
  void promptsGatherAndRedirect() {
    String channel = h.sim.inboundCall("+15557770001", "+15550005001");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> plays(channel) >= 4, "Say twice, Play, then the Gather's Say");
    h.sim.pressDtmf(channel, "42");
    WebhookApp.Webhook gathered = h.app.await("/gathered", sid, Map.of("Digits", "42"),
        CompatHarness.WAIT);
    assertEquals("POST", gathered.method());
    WebhookApp.Webhook next = h.app.await("/next", sid, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", next.method());
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertEquals(1, h.ari("POST", channel + "/answer").size());
    h.awaitTrue(() -> h.ari("DELETE", channel).size() == 1, "the channel hung up once");
  }

  @Test
  void recordRequestsItsActionAndCallback() {
    String channel = h.sim.inboundCall("+15557770002", "+15550005002");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty()
        && !h.ari("POST", channel + "/record").isEmpty(), "the recording running");
    SimLog.Request record = h.ari("POST", channel + "/record").get(0);
    String query = record.query() + record.body();
    assertTrue(query.contains("maxDurationSeconds=5"), query);
    assertTrue(query.contains("maxSilenceSeconds=3"), query);
    assertTrue(query.contains("terminateOn=%23") || query.contains("terminateOn=#"), query);
    h.sim.speak(channel, java.time.Duration.ofSeconds(3));
    WebhookApp.Webhook recorded = h.app.await("/recorded", sid, Map.of(), CompatHarness.WAIT);
    assertNotNull(recorded.param("RecordingUrl"));
    int seconds = Integer.parseInt(recorded.param("RecordingDuration"));
    assertTrue(seconds >= 1 && seconds <= 3, "3 s of speech, the trailing silence not counted: "
        + recorded.params());
    WebhookApp.Webhook callback = h.app.await("/rec-status", sid,
        Map.of("RecordingStatus", "completed"), CompatHarness.WAIT);
    assertEquals(recorded.param("RecordingSid"), callback.param("RecordingSid"));
    assertEquals(recorded.param("RecordingDuration"), callback.param("RecordingDuration"));
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void dialNumberRequestsItsActionAndCallbacks() {
    String channel = h.sim.inboundCall("+15557770003", "+15550005003");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)),
        "caller and callee bridged");
    SimLog.Request originate = h.ari("POST", "/channels").stream()
        .filter(r -> (r.path() + r.query() + r.body()).contains("15550400777")).findFirst()
        .orElseThrow(() -> new AssertionError("no originate in " + h.ari("POST", "")));
    String request = originate.query() + originate.body();
    assertTrue(request.contains("15550001111"), "callerId: " + request);
    assertTrue(request.contains("timeout=15"), "timeout 10 and Twilio's 5 s buffer: " + request);
    h.sim.callerHangup(channel);
    WebhookApp.Webhook dialed = h.app.await("/dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    String legSid = dialed.param("DialCallSid");
    assertNotNull(legSid);
    for (String status : List.of("initiated", "ringing", "in-progress", "completed")) {
      h.app.await("/leg-status", legSid, Map.of("CallStatus", status), CompatHarness.WAIT);
    }
  }

  @Test
  void referTransfersASipCall() {
    Call call = Call.creator(new Sip("sip:carol@pbx.test"), new PhoneNumber("+15550009999"),
        h.app.url("/refer-call")).create(h.twilio);
    WebhookApp.Webhook referred = h.app.await("/referred", call.getSid(),
        Map.of("ReferCallStatus", "in-progress"), CompatHarness.WAIT);
    assertEquals("202", referred.param("ReferSipResponseCode"));
    assertEquals("200", referred.param("NotifySipResponseCode"));
    List<SimLog.Request> redirects = h.ari("POST", "/redirect").stream()
        .filter(r -> decoded(r).contains("sip:bob@pbx.test?X-Case=7")).toList();
    assertEquals(1, redirects.size(), "one redirect of the call: " + redirects);
    assertTrue(decoded(redirects.get(0)).contains("endpoint=PJSIP/sip:bob@pbx.test?X-Case=7"),
        decoded(redirects.get(0)));
    assertEquals(204, redirects.get(0).status());
  }

  @Test
  void referOnANonSipChannelFails() {
    String channel = h.sim.inboundCall("+15557770005", "+15550005005");
    String sid = CompatHarness.callSid(channel);
    WebhookApp.Webhook failed = h.app.await("/refer-failed", sid,
        Map.of("ReferCallStatus", "failed"), CompatHarness.WAIT);
    assertNull(failed.param("ReferSipResponseCode"));
    assertTrue(h.ari("POST", channel + "/redirect").stream()
        .allMatch(r -> r.status() == 422), "Asterisk refuses a Local channel's redirect");
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void rejectBusyAndHangup() {
    String busy = h.sim.inboundCall("+15557770006", "+15550005006");
    h.app.await("/status", CompatHarness.callSid(busy), Map.of("CallStatus", "busy"),
        CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("DELETE", busy).size() == 1, "the channel hung up once");
    List<SimLog.Request> rejected = h.ari("DELETE", busy);
    assertTrue(rejected.get(0).query().contains("reason=busy"), rejected.get(0).query());
    assertTrue(h.ari("POST", busy + "/answer").isEmpty(), "rejected unanswered");

    String hungUp = h.sim.inboundCall("+15557770007", "+15550005007");
    h.app.await("/status", CompatHarness.callSid(hungUp), Map.of("CallStatus", "completed"),
        CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("DELETE", hungUp).size() == 1, "the channel hung up once");
  }

  @Test
  void anUnsupportedVerbIs12200() {
    String channel = h.sim.inboundCall("+15557770008", "+15550005008");
    String sid = CompatHarness.callSid(channel);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertEquals(1, plays(channel), "only the error prompt: the document did not run");
    assertFalse(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/paid")));
  }

  private static String decoded(SimLog.Request r) {
    return java.net.URLDecoder.decode(r.query() + r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private int plays(String channel) {
    return h.ari("POST", channel + "/play").size();
  }

  /** The verbs of a response the SDK built, without the XML declaration and {@code Response}. */
  static String verbs(VoiceResponse response) {
    return response.toXml().replaceFirst("^<\\?xml[^>]*\\?>", "")
        .replaceFirst("^<Response>", "").replaceFirst("</Response>$", "")
        .replaceFirst("^<Response/>$", "");
  }

  /** 0.2 s of 8 kHz 16-bit mono silence as a WAV file. */
  private static byte[] silence() throws IOException {
    int samples = 1600;
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
        .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes()).putInt(samples * 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header.array());
    out.write(new byte[samples * 2]);
    return out.toByteArray();
  }

  @Override
  @AfterAll
  void stop() {
    super.stop();
    if (audio != null) {
      audio.stop(0);
    }
  }
}
