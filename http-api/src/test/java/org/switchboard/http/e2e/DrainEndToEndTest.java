package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * A graceful drain end to end (simulator, node and application over real sockets): once the drain
 * starts a new call is refused busy without reaching the application and {@code /health} says
 * {@code draining}; the live call goes on to its normal end with its callback; then the node
 * stops.
 */
class DrainEndToEndTest {
  private E2eHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aDrainRefusesNewCallsLetsTheLiveOneFinishThenStops() throws Exception {
    h = new E2eHarness(List.of(), Map.of("switchboard.drain.deadline", "20s"));
    h.app.on("/voice", r -> Response.twiml(
        "<Gather numDigits=\"1\" action=\"/after\" timeout=\"15\"><Say>Hold on.</Say></Gather>"));
    h.app.on("/after", r -> Response.twiml("<Say>Bye.</Say><Hangup/>"));
    String live = h.call("+15557770001", "+15550002001");
    String liveSid = E2eHarness.callSid(live);
    h.app.await("/voice", liveSid, E2eHarness.WAIT);
    h.awaitTrue(() -> !h.sim.playbacks().isEmpty(), "the live call's prompt playing");

    CompletableFuture<Done> drained = h.node.drain().toCompletableFuture();
    h.awaitTrue(h.node::draining, "the node draining");
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.node.httpAddress().getPort()
            + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, health.statusCode());
    assertTrue(health.body().contains("\"status\":\"draining\""), health.body());

    String refused = h.call("+15557770002", "+15550002002");
    h.awaitTrue(() -> h.sim.channels().stream().noneMatch(c -> c.id().equals(refused)),
        "the new call refused");
    List<SimLog.Request> hangups = h.sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + refused))
        .toList();
    assertEquals(1, hangups.size(), h.leftovers());
    assertTrue(hangups.get(0).query().contains("reason=busy"), hangups.get(0).query());
    assertTrue(h.app.requests().stream()
            .noneMatch(r -> E2eHarness.callSid(refused).equals(r.param("CallSid"))),
        "the refused call never reached the application");
    assertTrue(!drained.isDone(), "the drain waits for the live call");

    h.sim.pressDtmf(live, "1");
    h.app.await("/after", liveSid, E2eHarness.WAIT);
    TestTwimlApp.Request status = h.app.await("/status", liveSid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));

    drained.get(E2eHarness.WAIT.toSeconds(), TimeUnit.SECONDS);
    h.node.system().getWhenTerminated().toCompletableFuture()
        .get(E2eHarness.WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(h.sim.channels().isEmpty(), h.leftovers());
  }
}
