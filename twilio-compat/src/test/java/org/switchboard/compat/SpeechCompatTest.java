package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Say;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimLog;

/**
 * {@code <Gather input="speech">} built with the SDK's {@code VoiceResponse} and every speech
 * attribute it offers, run on the simulator with the embedded recogniser: espeak-ng's "sales"
 * spoken into the call reaches the action as {@code SpeechResult} with a {@code Confidence} and
 * the {@code partialResultCallback}; {@code speechTimeout} becomes TALK_DETECT's silence;
 * {@code dtmf speech} takes the first key.
 */
class SpeechCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    Assumptions.assumeTrue(onPath("pocketsphinx_continuous") && onPath("espeak-ng"),
        "pocketsphinx and espeak-ng are needed");
    CompatHarness harness = new CompatHarness(List.of());
    Gather speech = new Gather.Builder()
        .inputs(Gather.Input.SPEECH).action("/speech").method(HttpMethod.POST).timeout(8)
        .speechTimeout("auto").hints("sales, support, billing").language(Gather.Language.EN_US)
        .speechModel("phone_call").profanityFilter(true).partialResultCallback("/partial")
        .partialResultCallbackMethod(HttpMethod.POST)
        .say(new Say.Builder("Which department?").build()).build();
    Gather either = new Gather.Builder()
        .inputs(List.of(Gather.Input.DTMF, Gather.Input.SPEECH)).action("/speech").numDigits(1)
        .speechTimeout("2").say(new Say.Builder("Press or say").build()).build();
    harness.app.on("/voice", w -> verbs(new VoiceResponse.Builder()
        .gather(w.param("To").equals("+15550009001") ? speech : either).build()));
    harness.app.on("/speech", "<Hangup/>");
    return harness;
  }

  /** The verbs of {@code response} as the application answers them. */
  static String verbs(VoiceResponse response) {
    String xml = response.toXml();
    return xml.substring(xml.indexOf("<Response>") + 10, xml.lastIndexOf("</Response>"));
  }

  @Test
  void speechGatherGivesSpeechResultConfidenceAndThePartialResult() throws Exception {
    byte[] sales = espeak("sales");
    String channel = h.sim.inboundCall("+15557770901", "+15550009001");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.liveRecordings().stream().anyMatch(r -> r.contains("-speech-")),
        "the speech capture");
    h.sim.speak(channel, sales);
    var action = h.app.await("/speech", sid, Map.of("SpeechResult", "sales"), CompatHarness.WAIT);
    double confidence = Double.parseDouble(action.param("Confidence"));
    assertTrue(confidence > 0 && confidence <= 1, "Confidence " + confidence);
    h.app.await("/partial", sid, Map.of("StableSpeechResult", "sales"), CompatHarness.WAIT);
    assertTrue(talkDetect().stream().anyMatch(q -> q.contains("TALK_DETECT(set)") && q.contains("1000,256")),
        "auto: TALK_DETECT's silence is auto-silence (1 s): " + talkDetect());
    assertTrue(h.ari("POST", "/record").stream().anyMatch(r -> r.query().contains("format=wav16")
        && r.path().contains("-speech-")), "the snoop is recorded at 16 kHz");
    List<String> events = h.sim.log().events().stream().map(SimLog.Event::type).toList();
    assertTrue(events.contains("ChannelTalkingFinished"), events.toString());
  }

  @Test
  void dtmfSpeechTakesTheFirstKeyAndSpeechTimeoutIsTheSilence() {
    String channel = h.sim.inboundCall("+15557770902", "+15550009002");
    String sid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.liveRecordings().stream().anyMatch(r -> r.contains("-speech-")),
        "the speech capture");
    assertTrue(talkDetect().stream().anyMatch(q -> q.contains("TALK_DETECT(set)") && q.contains("2000,256")),
        "speechTimeout=2: 2 s of silence end speech: " + talkDetect());
    h.sim.pressDtmf(channel, "5");
    var action = h.app.await("/speech", sid, Map.of("Digits", "5"), CompatHarness.WAIT);
    assertFalse(action.params().containsKey("SpeechResult"));
    h.awaitTrue(() -> h.sim.channels().stream().noneMatch(c -> c.id().contains("-speech-")),
        "the snoop hung up once the key won");
    assertEquals(List.of(), h.sim.liveRecordings().stream().filter(r -> r.contains("-speech-"))
        .toList());
  }

  /** The decoded queries of the channel variable requests so far. */
  private List<String> talkDetect() {
    return h.ari("POST", "/variable").stream()
        .map(r -> java.net.URLDecoder.decode(r.query(), java.nio.charset.StandardCharsets.UTF_8))
        .toList();
  }

  private static byte[] espeak(String text) throws Exception {
    Path out = Files.createTempFile("espeak-", ".wav");
    Process p = new ProcessBuilder("espeak-ng", "-v", "en-us", "-w", out.toString(), text)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "espeak-ng");
    byte[] wav = Files.readAllBytes(out);
    Files.delete(out);
    return wav;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
