package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Overload end to end (simulator, node and application over real sockets): a channel is never left
 * up while Switchboard counts its call as over, whatever ARI answers (errors, no answer), and
 * {@code /health} tells the channels it believes are up; a node over its limits answers new calls
 * busy at once while the live call goes on, and admits again once the load is gone.
 */
class OverloadEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private E2eHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aTeardownHangupThatFailsOrGetsNoAnswerIsSentAgainUntilAsteriskConfirms() throws Exception {
    h = new E2eHarness(List.of(), Map.of("switchboard.ari.request-timeout", "1s"));
    h.app.on("/voice", r -> Response.twiml("<Say>Bye.</Say><Hangup/>"));
    h.sim.injectFault(SimFault.status("DELETE", "channels/*", 2, 500));
    h.sim.injectFault(SimFault.noAnswer("DELETE", "channels/*", 1));
    String channel = h.call("+15557770001", "+15550002001");
    TestTwimlApp.Request status = h.app.await("/status", E2eHarness.callSid(channel),
        E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));

    // The call is over for the application, its channel is not: /health must say so.
    JsonNode pending = health();
    assertEquals(0, pending.get("activeCalls").asInt(), pending.toString());
    assertTrue(h.sim.channels().stream().anyMatch(c -> c.id().equals(channel))
            || deletes(channel) > 3, h.leftovers());
    h.awaitTrue(() -> h.sim.channels().stream().noneMatch(c -> c.id().equals(channel)),
        "the channel hung up after the failed attempts");
    assertTrue(deletes(channel) >= 4, "2 errors, 1 unanswered, then the hangup that ran: "
        + h.leftovers());
    h.awaitTrue(() -> health().get("channelsUp").asInt() == stasisChannels(),
        "/health's channelsUp matching the simulator's channels in Stasis");
    assertEquals(0, health().get("hangupsPending").asInt());
  }

  @Test
  void aCommandWithNoAnswerOnTheCallsLastPathStillHangsTheChannelUp() throws Exception {
    h = new E2eHarness(List.of(), Map.of("switchboard.ari.request-timeout", "1s"));
    h.app.on("/voice", r -> Response.twiml("<Say>Bye.</Say><Hangup/>"));
    h.sim.injectFault(SimFault.noAnswer("POST", "channels/*/play", 1));
    String channel = h.call("+15557770002", "+15550002002");
    h.app.await("/status", E2eHarness.callSid(channel), E2eHarness.WAIT);
    h.awaitTrue(() -> h.sim.channels().stream().noneMatch(c -> c.id().equals(channel)),
        "the channel hung up although its prompt got no answer");
    h.awaitTrue(() -> health().get("channelsUp").asInt() == 0, "/health: no channel up");
  }

  @Test
  void anOverloadedNodeAnswersNewCallsBusyAtOnceAndAdmitsAgainOnceTheLoadIsGone()
      throws Exception {
    h = new E2eHarness(List.of(), Map.of(
        "switchboard.overload.max-webhook-backlog", "0",
        "switchboard.overload.resume-after", "300ms"));
    CompletableFuture<Void> release = new CompletableFuture<>();
    h.app.on("/voice", r -> {
      if (r.param("From").equals("+15557770003")) {
        release.join();
      }
      return Response.twiml("<Say>Hello.</Say><Hangup/>");
    });
    String live = h.call("+15557770003", "+15550002003");
    h.app.await("/voice", E2eHarness.callSid(live), E2eHarness.WAIT);
    h.awaitTrue(() -> health().path("overload").path("shedding").asBoolean(),
        "/health saying the node sheds (one TwiML request awaits the application)");
    assertEquals(1, health().path("overload").path("webhookBacklog").asInt());

    Instant placed = Instant.now();
    String shed = h.call("+15557770004", "+15550002004");
    h.awaitTrue(() -> h.sim.channels().stream().noneMatch(c -> c.id().equals(shed))
        && deletes(shed) > 0, "the new call refused");
    List<SimLog.Request> refusal = h.sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + shed))
        .toList();
    assertEquals(1, refusal.size(), h.leftovers());
    assertTrue(refusal.get(0).query().contains("reason=busy"), refusal.get(0).query());
    Duration answeredIn = Duration.between(placed, refusal.get(0).at());
    assertTrue(answeredIn.compareTo(Duration.ofSeconds(1)) < 0, "refused in " + answeredIn);
    assertTrue(h.app.requests().stream()
        .noneMatch(r -> E2eHarness.callSid(shed).equals(r.param("CallSid"))),
        "the shed call never reached the application");
    assertEquals(1, health().path("overload").path("shedCalls").asLong());

    release.complete(null);
    TestTwimlApp.Request status = h.app.await("/status", E2eHarness.callSid(live),
        E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"), "the live call went on to its end");
    h.awaitTrue(() -> !health().path("overload").path("shedding").asBoolean(),
        "the node admitting again");
    String admitted = h.call("+15557770005", "+15550002005");
    assertEquals("completed", h.app.await("/status", E2eHarness.callSid(admitted),
        E2eHarness.WAIT).param("CallStatus"));
    h.awaitTrue(() -> h.sim.channels().isEmpty() && health().get("channelsUp").asInt() == 0,
        "no channel left, and /health agreeing");
    String metrics = get("/metrics").body();
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith(
        "switchboard_own_latency_samples{path=\"event_to_webhook\"} ")
        && !l.endsWith(" 0") && !l.endsWith(" 0.0")), metrics);
    assertTrue(metrics.lines().anyMatch(l -> l.matches("switchboard_overload_shed_calls 1(\\.0)?")),
        metrics);
  }

  private long deletes(String channel) {
    return h.sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + channel))
        .count();
  }

  private int stasisChannels() {
    return (int) h.sim.channels().stream().filter(c -> c.stasisApp() != null).count();
  }

  private JsonNode health() {
    try {
      return JSON.readTree(get("/health").body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + h.node.httpAddress().getPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
