package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * One stray character in the application's TwiML, end to end: the call takes Twilio's error
 * path (the fallback URL with ErrorCode 12100; when that fails too, the error prompt), hangs up,
 * the application receives the {@code completed} status callback and the simulator holds nothing
 * afterwards. Numbers ending in 1 have a working fallback, numbers ending in 2 do not.
 */
class StrayCharacterEndToEndTest {
  private static final Map<String, byte[]> DOCUMENTS = Map.of(
      "+1555000300", utf8("<Response><Say>Hello&nbsp;caller</Say></Response>"),
      "+1555000310", utf8("<Response><Say>unclosed"),
      "+1555000320", "<Response><Say>Caf\u00e9</Say></Response>"
          .getBytes(StandardCharsets.ISO_8859_1),
      "+1555000330", utf8("<Response><Redirect>/next?a=1&b=2</Redirect></Response>"));

  private static E2eHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new E2eHarness();
    h.app.on("/voice", r -> new Response(200, "text/xml", "", document(r.param("To"))));
    h.app.on(
        "/fallback",
        r -> r.param("To").endsWith("1")
            ? Response.twiml("<Say>Fallback speaking.</Say><Hangup/>")
            : new Response(500, "text/plain", "fallback down too"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @AfterEach
  void nothingLeftBehind() {
    h.awaitClean();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "+15550003001", "+15550003002", "+15550003101", "+15550003102",
      "+15550003201", "+15550003301"})
  void theCallTakesTheErrorPathAndCompletes(String to) {
    String channel = h.call("+15557770100", to);
    String sid = E2eHarness.callSid(channel);

    TestTwimlApp.Request fallback = h.app.await("/fallback", sid, E2eHarness.WAIT);
    assertEquals("12100", fallback.param("ErrorCode"));
    assertTrue(fallback.param("ErrorUrl").endsWith("/voice"), fallback.param("ErrorUrl"));
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));
    h.awaitTrue(
        () -> commandsFor(channel).stream().anyMatch(c -> c.method().equals("DELETE")),
        "the channel hung up");
    List<SimLog.Request> commands = commandsFor(channel);
    assertTrue(commands.stream().anyMatch(c -> c.path().endsWith("/answer")), "answered");
    assertTrue(commands.stream().anyMatch(c -> c.path().endsWith("/play")),
        to.endsWith("1") ? "the fallback's Say played" : "the caller hears the error prompt");
  }

  private static byte[] document(String to) {
    return DOCUMENTS.get(to.substring(0, to.length() - 1));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<SimLog.Request> commandsFor(String channel) {
    return h.sim.log().requests().stream().filter(r -> r.path().contains(channel)).toList();
  }
}
