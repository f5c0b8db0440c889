package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.speech.Espeak;

/**
 * A speech Gather whose recogniser is down (the HTTP engine pointed at a closed port): the caller
 * speaks, the failure is logged, and the call goes on as Twilio's does without a result: with
 * {@code actionOnEmptyResult} the action comes without {@code SpeechResult}; the call is not lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeechEngineDownEndToEndTest {
  E2eHarness h;

  @BeforeAll
  void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    h = new E2eHarness(List.of(), Map.of("switchboard.speech.engine", "http",
        "switchboard.speech.http.url", "http://127.0.0.1:" + closed));
    h.app.on("/voice", r -> Response.twiml("<Gather input=\"speech\" action=\"/speech\""
        + " actionOnEmptyResult=\"true\" timeout=\"8\"/>"));
    h.app.on("/speech", r -> Response.twiml("<Hangup/>"));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void theActionComesWithoutSpeechResultAndTheCallEnds() {
    byte[] wav = Espeak.say("sales");
    String channel = h.call("+15557770903", "+15550000903");
    String sid = E2eHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.liveRecordings().stream().anyMatch(r -> r.contains("-speech-")),
        "the speech capture recording");
    h.sim.speak(channel, wav);
    TestTwimlApp.Request action = h.app.await("/speech", sid, E2eHarness.WAIT);
    assertNull(action.param("SpeechResult"));
    assertEquals("", action.param("Digits"));
    h.app.await("/status", sid, E2eHarness.WAIT);
    h.awaitClean();
  }
}
