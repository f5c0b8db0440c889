package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * {@code <Dial><Number url>} (whisper / call screening) and the Dial action's parameters end to end
 * on the simulator: a whisper that runs out of verbs connects the callee to the caller, one that
 * hangs up rejects the callee; {@code answerOnBridge} reports the caller in progress once bridged;
 * a caller hanging up during the dial still gets its action requested (Twilio's docs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhisperEndToEndTest {
  E2eHarness h;

  E2eHarness newHarness() throws Exception {
    return new E2eHarness(
        List.of(
            new DialRule("*+15550300001*", DialBehaviour.parse("answer-after-200")),
            new DialRule("*+15550300002*", DialBehaviour.parse("no-answer"))));
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    h.app.on(
        "/voice",
        r ->
            switch (r.param("To")) {
              case "+15550003001" -> Response.twiml(
                  "<Dial action=\"/dial-done\"><Number url=\"/whisper\">+15550300001</Number></Dial>");
              case "+15550003002" -> Response.twiml(
                  "<Dial action=\"/dial-done\"><Number url=\"/whisper-reject\">+15550300001</Number></Dial>");
              case "+15550003003" -> Response.twiml(
                  "<Dial answerOnBridge=\"true\" action=\"/dial-done\"><Number>+15550300001</Number></Dial>");
              case "+15550003004" -> Response.twiml(
                  "<Dial action=\"/dial-done\" timeout=\"30\"><Number>+15550300002</Number></Dial>");
              case "+15550003005" -> Response.twiml(
                  "<Dial action=\"/dial-done\"><Number url=\"/whisper-gather\">+15550300001</Number></Dial>");
              default -> Response.twiml("<Hangup/>");
            });
    h.app.on("/whisper", r -> Response.twiml("<Say>You have a call. Connecting.</Say>"));
    h.app.on("/whisper-reject", r -> Response.twiml("<Say>Declining.</Say><Hangup/>"));
    h.app.on("/whisper-gather", r -> Response.twiml(
        "<Gather numDigits=\"1\" timeout=\"1\" action=\"/screened\"><Say>Press 1 to accept.</Say></Gather>"));
    h.app.on("/dial-done", r -> Response.twiml("<Hangup/>"));
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
    assertTrue(
        h.app.requests().stream().allMatch(TestTwimlApp.Request::signatureValid),
        "every webhook carries a valid X-Twilio-Signature");
  }

  @Test
  void whisperThatRunsOutConnectsTheCalleeToTheCaller() {
    String caller = h.call("+15557770301", "+15550003001");
    String sid = E2eHarness.callSid(caller);
    TestTwimlApp.Request whisper =
        h.app.await(r -> r.path().equals("/whisper") && sid.equals(r.param("ParentCallSid")),
            "the whisper URL", E2eHarness.WAIT);
    assertEquals("in-progress", whisper.param("CallStatus"));
    h.awaitBridged(caller);
    h.callerHangsUp(caller);
    TestTwimlApp.Request done = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", done.param("DialCallStatus"));
    assertEquals("true", done.param("DialBridged"));
    assertEquals(whisper.param("CallSid"), done.param("DialCallSid"));
  }

  @Test
  void whisperThatHangsUpRejectsTheCallee() {
    assertRejected("+15557770302", "+15550003002", "/whisper-reject");
  }

  @Test
  void whisperWhoseGatherTimesOutRejectsTheCallee() {
    assertRejected("+15557770305", "+15550003005", "/whisper-gather");
    assertTrue(h.app.requests().stream().noneMatch(r -> r.path().equals("/screened")),
        "no digit, no Gather action");
  }

  /** A call whose whisper at {@code whisperPath} rejects the callee: never bridged. */
  private void assertRejected(String from, String to, String whisperPath) {
    String caller = h.call(from, to);
    String sid = E2eHarness.callSid(caller);
    h.app.await(r -> r.path().equals(whisperPath) && sid.equals(r.param("ParentCallSid")),
        "the whisper URL", E2eHarness.WAIT);
    TestTwimlApp.Request done = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("false", done.param("DialBridged"));
    assertTrue(
        List.of("no-answer", "busy", "failed", "canceled").contains(done.param("DialCallStatus")),
        "a rejected whisper does not complete the dial: " + done.param("DialCallStatus"));
    assertTrue(h.sim.log().requests().stream().noneMatch(r -> r.path().startsWith("/ari/bridges")
        && r.query().contains(caller)), "the caller was never bridged");
  }

  @Test
  void answerOnBridgeReportsTheCallerInProgressAfterTheBridge() {
    String caller = h.call("+15557770303", "+15550003003");
    String sid = E2eHarness.callSid(caller);
    h.awaitBridged(caller);
    h.callerHangsUp(caller);
    TestTwimlApp.Request done = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", done.param("DialCallStatus"));
    assertEquals("true", done.param("DialBridged"));
    assertNotNull(done.param("CallStatus"));
    assertTrue(!"ringing".equals(done.param("CallStatus")),
        "the caller was answered when bridged: CallStatus=" + done.param("CallStatus"));
  }

  @Test
  void callerHangingUpDuringTheDialStillRequestsTheAction() {
    String caller = h.call("+15557770304", "+15550003004");
    String sid = E2eHarness.callSid(caller);
    h.awaitTrue(
        () -> h.sim.channels().stream().anyMatch(c -> c.id().startsWith("sb-")),
        "the callee ringing");
    h.callerHangsUp(caller);
    TestTwimlApp.Request done = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", done.param("CallStatus"));
    assertEquals("canceled", done.param("DialCallStatus"));
    assertEquals("false", done.param("DialBridged"));
  }
}
