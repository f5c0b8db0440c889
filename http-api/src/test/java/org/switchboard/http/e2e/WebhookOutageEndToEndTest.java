package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Calls whose application is down, end to end over the simulator: each webhook to a closed port is
 * refused at once and the call takes its fallback URL with Twilio's 11205, a burst of calls as
 * fast as one (no pool backing off behind the first refusal), and {@code /metrics} counts the
 * refused attempts. Calls placed while the whole application is down end at once, and when it
 * comes back each of their status callbacks reaches it exactly once.
 */
class WebhookOutageEndToEndTest {
  /** Far below the 15 s read timeout a request stuck behind a backed-off pool waited for. */
  private static final Duration FALLBACK_WITHIN = Duration.ofSeconds(5);

  private static E2eHarness h;
  private static String down;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = "http://127.0.0.1:" + socket.getLocalPort() + "/down";
    }
    h = new E2eHarness();
    h.app.on("/voice", r -> "+15550002002".equals(r.param("To"))
        ? Response.twiml("<Say>Hello.</Say><Hangup/>")
        : Response.twiml("<Redirect>" + down + "</Redirect>"));
    h.app.on("/fallback", r -> Response.twiml("<Say>We are sorry.</Say><Hangup/>"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void callsWhoseApplicationIsDownTakeTheFallbackAtOnce() {
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sids.add(E2eHarness.callSid(h.call("+1555777010" + i, "+15550002001")));
    }
    for (String sid : sids) {
      h.app.await("/voice", sid, E2eHarness.WAIT);
      TestTwimlApp.Request fallback = h.app.await("/fallback", sid, FALLBACK_WITHIN);
      assertEquals("11205", fallback.param("ErrorCode"), "Twilio's HTTP connection failure");
      assertEquals(down, fallback.param("ErrorUrl"));
      assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    }
    h.awaitClean();
    String metrics = h.node.metrics().registry().scrape();
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("switchboard_webhook_failures_total{")
        && l.contains("kind=\"refused\"") && !l.endsWith(" 0.0")), metrics);
  }

  @Test
  void callsDuringAnOutageEndAndTheirCallbacksArriveOnceWhenTheApplicationIsBack()
      throws Exception {
    h.app.stop();
    List<String> sids = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        sids.add(E2eHarness.callSid(h.call("+1555777020" + i, "+15550002002")));
      }
      // Voice URL and fallback refused at once: the error prompt, then the caller is released.
      h.awaitClean();
    } finally {
      h.app.restart();
    }
    String next = E2eHarness.callSid(h.call("+15557770299", "+15550002002"));
    h.app.await("/status", next, E2eHarness.WAIT);
    for (String sid : sids) {
      assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    }
    h.awaitClean();
    for (String sid : sids) {
      long copies = h.app.requests().stream()
          .filter(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))).count();
      assertEquals(1, copies, "status callbacks of " + sid);
    }
  }
}
