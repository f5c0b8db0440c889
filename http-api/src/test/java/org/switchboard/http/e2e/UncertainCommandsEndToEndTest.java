package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Commands that got no answer in time but that Asterisk carried out after all ({@link
 * SimFault#late}, the node's request timeout 1 s): the node asks Asterisk what the command did
 * ({@code GET /playbacks/{id}}, {@code GET /bridges/{id}}) and goes on from what it finds, so a
 * prompt that plays is not taken for a failure (no error prompt over it) and a bridge that holds
 * both sides carries the call (the dial is not abandoned with the callee hung up).
 */
class UncertainCommandsEndToEndTest extends LateCommandsFixture {
  /** Past the 1 s request timeout: the command runs after the node stopped waiting. */
  private static final Duration LATE = Duration.ofMillis(1100);
  /** The lookup, sent at the timeout, runs after the late command (and within its own 1 s). */
  private static final Duration LOOKUP_LATE = Duration.ofMillis(900);

  @BeforeAll
  static void start() throws Exception {
    startHarness("+15550401001", Map.of("switchboard.ari.request-timeout", "1s"));
    serveTone("/audio/tone.wav", Duration.ofMillis(2500));
    h.app.on("/voice", r -> switch (r.param("To")) {
      case "+15550004001" -> Response.twiml(
          "<Play>/audio/tone.wav</Play><Redirect>/after-play</Redirect>");
      case "+15550004002" -> Response.twiml("<Dial timeLimit=\"2\" action=\"/dial-done\">"
          + "<Number>+15550401001</Number></Dial>");
      default -> Response.twiml("<Hangup/>");
    });
    h.app.on("/after-play", r -> Response.twiml("<Hangup/>"));
    h.app.on("/dial-done", r -> Response.twiml("<Hangup/>"));
    // A first call, so sharding is warm and the simulator knows the tone (it reads a sound's
    // length once, before the request runs) before the faults' timing matters.
    h.app.await("/status", E2eHarness.callSid(h.call("+15557771000", "+15550004001")),
        E2eHarness.WAIT);
    h.awaitClean();
  }

  @Test
  void aPromptThatPlaysAfterItsCommandTimedOutIsFollowedByTheNextVerb() {
    String channel = callWithALateCommand("channels/*/play", "playbacks/*", "+15550004001");
    String sid = E2eHarness.callSid(channel);
    h.app.await("/after-play", sid, E2eHarness.WAIT);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    assertEquals(1, plays(channel), "the tone only, no error prompt: " + h.leftovers());
  }

  @Test
  void aBridgeMadeAfterItsCommandTimedOutCarriesTheDial() {
    String sid = E2eHarness.callSid(
        callWithALateCommand("bridges/*/addChannel", "bridges/*", "+15550004002"));
    TestTwimlApp.Request done = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", done.param("DialCallStatus"), done.toString());
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
  }

  /**
   * A call to {@code to} whose first {@code POST command} runs late, and whose lookup ({@code GET
   * lookup}) answers after it ran.
   */
  private static String callWithALateCommand(String command, String lookup, String to) {
    h.sim.injectFault(SimFault.late("POST", command, 1, LATE));
    h.sim.injectFault(SimFault.late("GET", lookup, 1, LOOKUP_LATE));
    return h.call("+1555777" + to.substring(to.length() - 4), to);
  }

  private static long plays(String channel) {
    return h.sim.log().requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/channels/" + channel + "/play"))
        .count();
  }
}
