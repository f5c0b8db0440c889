package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * The TwiML engine end to end: simulator → Switchboard → a TwiML application on a real HTTP
 * server. Each call dials its own number so the application can tell the scenarios apart; after
 * each, the simulator must hold nothing the call left behind, and every webhook must carry a
 * valid {@code X-Twilio-Signature}. {@link TwimlOnAsteriskTest} runs the same tests on a real
 * Asterisk; checks of the simulator's request log run on the simulator only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwimlEndToEndTest {
  E2eHarness h;

  /** The harness the tests run on; the simulator here. */
  E2eHarness newHarness() throws Exception {
    return new E2eHarness();
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    h.app.on(
        "/voice",
        r ->
            switch (r.param("To")) {
              case "+15550001001" -> Response.twiml(
                  "<Gather numDigits=\"1\" action=\"/language\" timeout=\"3\">"
                      + "<Say language=\"en-US\">For English press one.</Say>"
                      + "<Say language=\"es-MX\">Para español marque dos.</Say>"
                      + "</Gather><Redirect>/voice</Redirect>");
              case "+15550001002" -> Response.twiml(
                  "<Gather numDigits=\"4\" action=\"/captcha?lang=es-MX&amp;expected=1234\" timeout=\"3\">"
                      + "<Say>Enter the code.</Say></Gather><Hangup/>");
              case "+15550001003" -> Response.twiml("<Reject reason=\"busy\"/>");
              case "+15550001004" -> Response.twiml("<Redirect method=\"POST\">/voice</Redirect>");
              case "+15550001005" -> new Response(500, "text/plain", "boom");
              case "+15550001006" -> new Response(200, "text/xml", "<Response><Say>unclosed</Response>");
              case "+15550001007" -> Response.twiml("<Say>Hi.</Say><Pause length=\"10\"/>");
              default -> Response.twiml("<Hangup/>");
            });
    h.app.on("/language", r -> Response.twiml("<Say>Thanks.</Say><Hangup/>"));
    h.app.on("/captcha", r -> Response.twiml("<Hangup/>"));
    h.app.on(
        "/fallback",
        r ->
            "+15550001005".equals(r.param("To"))
                ? Response.twiml("<Say>Fallback speaking.</Say><Hangup/>")
                : new Response(500, "text/plain", "fallback down too"));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @AfterEach
  void nothingLeftBehind() {
    h.awaitClean();
    List<TestTwimlApp.Request> unsigned =
        h.app.requests().stream().filter(r -> !r.signatureValid()).toList();
    assertTrue(unsigned.isEmpty(), "requests with a bad X-Twilio-Signature: " + unsigned);
  }

  @Test
  void languageMenuSendsTheDigitToTheAction() {
    Caller caller = Caller.pressing("2");
    String channel = h.call("+15557770001", "+15550001001", caller);
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request first = h.app.await("/voice", sid, E2eHarness.WAIT);
    assertEquals("ringing", first.param("CallStatus"));
    assertEquals("inbound", first.param("Direction"));
    assertEquals("+15557770001", first.param("From"));
    assertEquals("+15550001001", first.param("To"));
    assertEquals(first.param("From"), first.param("Caller"));
    assertEquals(first.param("To"), first.param("Called"));
    assertEquals("2010-04-01", first.param("ApiVersion"));
    h.callerActs(channel, caller);
    TestTwimlApp.Request language = h.app.await("/language", sid, E2eHarness.WAIT);
    assertEquals("2", language.param("Digits"));
    assertEquals("in-progress", language.param("CallStatus"));
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));
  }

  @Test
  void captchaActionKeepsBothQueryParameters() {
    Caller caller = Caller.pressing("1234");
    String channel = h.call("+15557770002", "+15550001002", caller);
    String sid = E2eHarness.callSid(channel);
    h.app.await("/voice", sid, E2eHarness.WAIT);
    h.callerActs(channel, caller);
    TestTwimlApp.Request captcha = h.app.await("/captcha", sid, E2eHarness.WAIT);
    assertEquals("es-MX", captcha.param("lang"));
    assertEquals("1234", captcha.param("expected"));
    assertEquals("1234", captcha.param("Digits"));
    assertEquals("lang=es-MX&expected=1234", captcha.query());
  }

  @Test
  void rejectRefusesTheCallWithoutAnsweringIt() {
    String channel = h.call("+15557770003", "+15550001003");
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("busy", status.param("CallStatus"));
    if (!h.simulated()) {
      return;
    }
    h.awaitTrue(
        () -> commandsFor(channel).stream().anyMatch(c -> c.method().equals("DELETE")),
        "the channel hung up");
    List<SimLog.Request> commands = commandsFor(channel);
    assertFalse(
        commands.stream().anyMatch(c -> c.path().endsWith("/answer")),
        "a rejected call must not be answered: " + commands);
    assertTrue(
        commands.stream().anyMatch(c -> c.method().equals("DELETE") && c.query().contains("reason=busy")),
        "hung up with reason=busy: " + commands);
  }

  @Test
  void redirectLoopIsStoppedByTheCap() {
    String channel = h.call("+15557770004", "+15550001004");
    String sid = E2eHarness.callSid(channel);
    h.app.await("/status", sid, E2eHarness.WAIT);
    long fetches =
        h.app.requests().stream()
            .filter(r -> r.path().equals("/voice") && sid.equals(r.param("CallSid")))
            .count();
    assertTrue(fetches > 2 && fetches <= 30, "documents fetched before the cap: " + fetches);
    assertTrue(
        !h.simulated() || commandsFor(channel).stream().anyMatch(c -> c.path().endsWith("/play")),
        "the caller hears the error prompt");
  }

  @Test
  void serverErrorGoesToTheFallbackUrl() {
    String channel = h.call("+15557770005", "+15550001005");
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request fallback = h.app.await("/fallback", sid, E2eHarness.WAIT);
    assertEquals("11200", fallback.param("ErrorCode"));
    assertTrue(fallback.param("ErrorUrl").endsWith("/voice"), fallback.param("ErrorUrl"));
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));
  }

  @Test
  void malformedTwimlTakesTheErrorPath() {
    String channel = h.call("+15557770006", "+15550001006");
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request fallback = h.app.await("/fallback", sid, E2eHarness.WAIT);
    assertEquals("12100", fallback.param("ErrorCode"));
    h.app.await("/status", sid, E2eHarness.WAIT);
    assertTrue(
        !h.simulated() || commandsFor(channel).stream().anyMatch(c -> c.path().endsWith("/play")),
        "the caller hears the error prompt");
  }

  @Test
  void callerHangingUpMidPromptEndsTheCallCleanly() {
    // On Asterisk the caller hangs up 1 s after the answer (plus Answer()'s 0.5 s), mid-prompt.
    String channel =
        h.call("+15557770007", "+15550001007", new Caller("hangup-after-1", Optional.empty()));
    String sid = E2eHarness.callSid(channel);
    h.app.await("/voice", sid, E2eHarness.WAIT);
    if (h.simulated()) {
      h.awaitTrue(() -> !h.sim.playbacks().isEmpty(), "the prompt playing");
      h.sim.callerHangup(channel);
    }
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));
  }

  private List<SimLog.Request> commandsFor(String channel) {
    return h.sim.log().requests().stream().filter(r -> r.path().contains(channel)).toList();
  }
}
