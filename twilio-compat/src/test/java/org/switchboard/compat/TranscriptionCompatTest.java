package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Transcription;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Record;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code <Record transcribe="true" transcribeCallback>} built with the SDK's {@code
 * VoiceResponse}, run on the simulator with the HTTP recogniser pointed at a fake
 * OpenAI-compatible {@code /v1/audio/transcriptions} service: the finished recording is
 * transcribed and the {@code transcribeCallback} (validated by the SDK's {@code
 * RequestValidator}) gets Twilio's parameters, {@code completed} with the text, or {@code failed}
 * when the service fails; the SDK reads the Transcription resource back.
 */
class TranscriptionCompatTest extends CompatTest {
  private static final String TEXT = "please call me back tomorrow";
  private static final String ENDS_ON_SILENCE = "+15550007001";
  private static final String VOICEMAIL = "+15550007002";

  private final AtomicBoolean engineFails = new AtomicBoolean();
  private final AtomicInteger wavsHeard = new AtomicInteger();
  private HttpServer engine;

  @Override
  CompatHarness harness() throws Exception {
    engine = fakeEngine();
    CompatHarness harness = new CompatHarness(List.of(), Map.of(
        "switchboard.speech.engine", "http",
        "switchboard.speech.http.url", "http://127.0.0.1:" + engine.getAddress().getPort()));
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/recorded", "<Hangup/>");
    return harness;
  }

  @AfterAll
  void stopEngine() {
    if (engine != null) {
      engine.stop(0);
    }
  }

  private static Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    return w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .record(new Record.Builder().action(harness.app.url("/recorded"))
            .method(HttpMethod.POST).playBeep(false)
            .timeout(w.param("To").equals(VOICEMAIL) ? 30 : 1)
            .transcribe(true).transcribeCallback(harness.app.url("/transcribed")).build())
        .build());
  }

  /** The OpenAI-compatible service: {@link #TEXT} for a WAV upload, or 500 while it fails. */
  private HttpServer fakeEngine() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/audio/transcriptions", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.ISO_8859_1);
      if (body.contains("RIFF") && body.contains("WAVE")) {
        wavsHeard.incrementAndGet();
      }
      byte[] answer = engineFails.get() ? "{\"error\":\"overloaded\"}".getBytes()
          : ("{\"text\":\"" + TEXT + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(engineFails.get() ? 500 : 200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** A caller says something (a 1.5 s tone) and goes silent: the recording ends on 1 s of it. */
  private WebhookApp.Webhook recorded(String caller) {
    String channel = h.sim.inboundCall(caller, ENDS_ON_SILENCE);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "the recording running");
    h.sim.speak(channel, TwimlAttributesCompatTest.wav(0, 1500));
    return h.app.await("/recorded", CompatHarness.callSid(channel), Map.of(),
        CompatHarness.WAIT);
  }

  @Test
  void theTranscribeCallbackGetsTheTextAndTheSdkReadsTheTranscription() {
    engineFails.set(false);
    int heard = wavsHeard.get();
    WebhookApp.Webhook recorded = recorded("+15557770701");
    String callSid = recorded.param("CallSid");
    WebhookApp.Webhook done = h.app.await("/transcribed", callSid,
        Map.of("TranscriptionStatus", "completed"), CompatHarness.WAIT);
    assertEquals(TEXT, done.param("TranscriptionText"));
    assertEquals(recorded.param("RecordingSid"), done.param("RecordingSid"));
    assertEquals(recorded.param("RecordingUrl"), done.param("RecordingUrl"));
    assertEquals(h.accountSid, done.param("AccountSid"));
    assertEquals("+15557770701", done.param("From"));
    assertEquals("POST", done.method());
    String sid = done.param("TranscriptionSid");
    assertTrue(sid.matches("TR[0-9a-f]{32}"), sid);
    assertTrue(done.param("TranscriptionUrl").endsWith(
        "/2010-04-01/Accounts/" + h.accountSid + "/Transcriptions/" + sid), done.params().toString());
    assertTrue(wavsHeard.get() > heard, "the recording reached the recogniser as a WAV upload");

    Transcription fetched = Transcription.fetcher(sid).fetch(h.twilio);
    assertEquals(Transcription.Status.COMPLETED, fetched.getStatus());
    assertEquals(TEXT, fetched.getTranscriptionText());
    assertEquals(recorded.param("RecordingSid"), fetched.getRecordingSid());
    assertEquals(recorded.param("RecordingDuration"), fetched.getDuration());
    assertTrue(all(Transcription.reader().read(h.twilio)).stream()
        .anyMatch(t -> t.getSid().equals(sid)));
    var ofRecording = all(com.twilio.rest.api.v2010.account.recording.Transcription
        .reader(recorded.param("RecordingSid")).read(h.twilio));
    assertEquals(List.of(sid), ofRecording.stream().map(t -> t.getSid()).toList());
  }

  @Test
  void aRecogniserThatFailsGivesTranscriptionStatusFailed() {
    engineFails.set(true);
    WebhookApp.Webhook recorded = recorded("+15557770702");
    WebhookApp.Webhook failed = h.app.await("/transcribed", recorded.param("CallSid"),
        Map.of("TranscriptionStatus", "failed"), CompatHarness.WAIT);
    assertEquals("", failed.param("TranscriptionText"));
    assertEquals(recorded.param("RecordingSid"), failed.param("RecordingSid"));
    assertEquals(Transcription.Status.FAILED,
        Transcription.fetcher(failed.param("TranscriptionSid")).fetch(h.twilio).getStatus());
  }

  @Test
  void aVoicemailEndedByTheCallersHangupIsTranscribedToo() {
    engineFails.set(false);
    String channel = h.sim.inboundCall("+15557770703", VOICEMAIL);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "the recording running");
    Instant spoke = h.sim.clock().now();
    h.sim.speak(channel, TwimlAttributesCompatTest.wav(0, 1500));
    h.awaitTrue(() -> h.sim.clock().now().isAfter(spoke.plusMillis(1600)),
        "the caller spoke for 1.5 s");
    h.sim.callerHangup(channel);
    String callSid = CompatHarness.callSid(channel);
    WebhookApp.Webhook recorded = h.app.await("/recorded", callSid, Map.of("Digits", "hangup"),
        CompatHarness.WAIT);
    WebhookApp.Webhook done = h.app.await("/transcribed", callSid,
        Map.of("TranscriptionStatus", "completed"), CompatHarness.WAIT);
    assertEquals(TEXT, done.param("TranscriptionText"));
    assertEquals(recorded.param("RecordingSid"), done.param("RecordingSid"));
  }
}
