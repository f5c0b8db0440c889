package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.speech.Espeak;

/**
 * {@code <Gather input="speech">} end to end on the simulator with the embedded pocketsphinx
 * recogniser: espeak-ng's "sales" is spoken into the call, Asterisk's talk detection ({@code
 * TALK_DETECT}, {@code ChannelTalkingStarted}/{@code Finished}) ends it, the snoop recording is
 * recognised and the action receives {@code SpeechResult=sales} with a {@code Confidence}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeechGatherEndToEndTest {
  static final String GATHER = "<Gather input=\"speech\" action=\"/speech\" timeout=\"8\""
      + " speechTimeout=\"auto\" hints=\"sales, support, billing\"><Say>Which department?</Say>"
      + "</Gather><Say>We did not hear you</Say><Hangup/>";
  E2eHarness h;

  E2eHarness newHarness() throws Exception {
    Assumptions.assumeTrue(Espeak.onPath("pocketsphinx_continuous"),
        "pocketsphinx (apt-get install pocketsphinx pocketsphinx-en-us) is needed");
    return new E2eHarness(List.of());
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    h.app.on("/voice", r -> Response.twiml(GATHER));
    h.app.on("/speech", r -> Response.twiml("<Hangup/>"));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @AfterEach
  void clean() {
    h.awaitClean();
  }

  /**
   * A call whose caller says {@code text} once the gather listens; its Stasis channel. On the
   * simulator the test speaks espeak-ng's WAV into the call once the snoop records.
   */
  String callSaying(String from, String to, String text) {
    byte[] wav = Espeak.say(text);
    String channel = h.call(from, to);
    h.awaitTrue(() -> h.sim.liveRecordings().stream().anyMatch(r -> r.contains("-speech-")),
        "the speech capture recording");
    h.sim.speak(channel, wav);
    return channel;
  }

  @Test
  void salesSpokenIntoTheCallReachesTheActionAsSpeechResult() {
    String channel = callSaying("+15557770901", "+15550000901", "sales");
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request action = h.app.await("/speech", sid, E2eHarness.WAIT);
    assertEquals("sales", action.param("SpeechResult"));
    double confidence = Double.parseDouble(action.param("Confidence"));
    assertTrue(confidence > 0 && confidence <= 1, "Confidence " + confidence);
    assertNull(action.param("Digits"));
    if (!h.simulated()) {
      return;
    }
    List<String> types = h.sim.log().events().stream().map(SimLog.Event::type).toList();
    assertTrue(types.contains("ChannelTalkingStarted") && types.contains("ChannelTalkingFinished"),
        types.toString());
    List<SimLog.Request> ari = h.sim.log().requests();
    assertTrue(ari.stream().anyMatch(r -> r.path().endsWith("/variable")
        && r.query().contains("TALK_DETECT")), "TALK_DETECT set on the caller");
    assertTrue(ari.stream().anyMatch(r -> r.path().contains("/snoop") && r.query().contains("spy=in")),
        "a snoop on what the caller says");
  }

  @Test
  void withoutSpeechTheGatherTimesOutAndFallsThrough() {
    String channel = h.call("+15557770902", "+15550000902");
    String sid = E2eHarness.callSid(channel);
    h.app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid")),
        "the call's end after the fall-through", E2eHarness.WAIT);
    assertTrue(h.app.requests().stream().noneMatch(r -> r.path().equals("/speech")
        && sid.equals(r.param("CallSid"))), "no action without speech");
  }
}
