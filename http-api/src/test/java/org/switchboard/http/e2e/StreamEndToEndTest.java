package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.stream.TestApp;

/**
 * {@code <Connect><Stream>} through a running node: the caller's audio reaches the application's
 * WebSocket in the Media Streams protocol, DTMF arrives as {@code dtmf}, and when the application
 * closes the socket the Connect action runs; the ExternalMedia channel and its bridge are gone
 * afterwards. {@link StreamOnAsteriskTest} runs it on a real Asterisk (RTP over loopback).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamEndToEndTest {
  E2eHarness h;
  private TestApp streams;

  /** The harness the test runs on; the simulator here. */
  E2eHarness newHarness() throws Exception {
    return new E2eHarness();
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    streams = new TestApp(h.node.system());
    h.app.on(
        "/voice",
        r ->
            Response.twiml(
                "<Connect action=\"/stream-done\"><Stream url=\"" + streams.url() + "\">"
                    + "<Parameter name=\"Who\" value=\"e2e\"/></Stream></Connect>"));
    h.app.on("/stream-done", r -> Response.twiml("<Hangup/>"));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void callerAudioAndDtmfReachTheAppAndClosingTheSocketRunsTheAction() throws Exception {
    // On Asterisk the caller plays a tune, presses 7 after it and goes on playing.
    String channel = h.call("+15557770201", "+15550005001",
        new Caller("talk-dtmf-7@sbtest-phones", Optional.of("7")));
    String sid = E2eHarness.callSid(channel);
    assertEquals("connected", streams.next().path("event").asText());
    JsonNode start = streams.next();
    assertEquals("start", start.path("event").asText());
    assertEquals(sid, start.path("start").path("callSid").asText());
    assertEquals("e2e", start.path("start").path("customParameters").path("Who").asText());
    assertEquals("audio/x-mulaw", start.path("start").path("mediaFormat").path("encoding").asText());
    if (h.simulated()) {
      h.awaitTrue(
          () -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel) && b.channels().size() == 2),
          "caller bridged with the ExternalMedia channel");
      h.sim.speak(channel, Duration.ofMillis(400));
    }
    JsonNode media = streams.next();
    while (!media.path("event").asText().equals("media")) {
      media = streams.next();
    }
    assertFalse(media.path("media").path("payload").asText().isEmpty(), "audio payload");
    if (h.simulated()) {
      h.sim.pressDtmf(channel, "7");
    }
    JsonNode dtmf = streams.next();
    while (!dtmf.path("event").asText().equals("dtmf")) {
      dtmf = streams.next();
    }
    assertEquals("7", dtmf.path("dtmf").path("digit").asText());
    streams.close();
    TestTwimlApp.Request done = h.app.await("/stream-done", sid, E2eHarness.WAIT);
    assertEquals("in-progress", done.param("CallStatus"));
    h.awaitClean();
  }
}
