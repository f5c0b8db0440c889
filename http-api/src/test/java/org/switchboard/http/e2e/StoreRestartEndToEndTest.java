package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Ended calls and recordings outlive the node that served them: a node on an H2 store file takes
 * a recorded call and a queued one and stops; a new node on the same file lists the calls, the
 * recording and the queue in {@code Calls.json}, {@code Recordings.json} and {@code Queues.json},
 * over real HTTP. With {@code
 * switchboard.store.kind = memory} (the tests' default) the second node knows neither. The second
 * node's sweep of its stored calls reads the table without the plugin's sequence actor.
 */
class StoreRestartEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aRestartedNodeListsTheCallsAndRecordingsOfTheNodeBefore() throws Exception {
    Map<String, String> store = Map.of(
        "switchboard.store.kind", "h2",
        "switchboard.store.url", "jdbc:h2:file:" + dir.resolve("store").resolve("switchboard"));
    String sid;
    String recordingSid;
    try (E2eHarness first = new E2eHarness(List.of(), store)) {
      first.app.on("/voice", r -> "+15550003002".equals(r.param("To"))
          ? Response.twiml("<Enqueue>support</Enqueue>")
          : Response.twiml("<Record maxLength=\"1\" playBeep=\"false\" action=\"/recorded\"/>"));
      first.app.on("/recorded", r -> Response.twiml("<Hangup/>"));
      String caller = first.call("+15557770091", "+15550003001");
      sid = E2eHarness.callSid(caller);
      first.awaitTrue(() -> !first.sim.liveRecordings().isEmpty(), "recording running");
      first.sim.speak(caller, Duration.ofSeconds(2));
      recordingSid = first.app.await("/recorded", sid, E2eHarness.WAIT).param("RecordingSid");
      first.app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed callback", E2eHarness.WAIT);
      first.awaitTrue(() -> calls(first, "?To=%2B15550003001").toString().contains(sid),
          "the call listed by the node that served it");
      String waiting = first.call("+15557770092", "+15550003002");
      first.awaitTrue(() -> get(first, "/Queues.json").path("queues").toString()
          .contains("\"current_size\":1"), "the caller waiting in the queue");
      first.callerHangsUp(waiting);
      first.app.await(r -> r.path().equals("/status")
          && E2eHarness.callSid(waiting).equals(r.param("CallSid")), "final status", E2eHarness.WAIT);
    }
    try (E2eHarness second = new E2eHarness(List.of(), store)) {
      JsonNode listed = calls(second, "?To=%2B15550003001");
      assertEquals(1, listed.path("calls").size(), listed.toString());
      JsonNode call = listed.path("calls").get(0);
      assertEquals(sid, call.path("sid").asText());
      assertEquals("completed", call.path("status").asText());
      assertEquals("+15557770091", call.path("from").asText());
      JsonNode fetched = get(second, "/Calls/" + sid + ".json");
      assertEquals("completed", fetched.path("status").asText(), fetched.toString());
      JsonNode recordings = get(second, "/Recordings.json");
      assertEquals(1, recordings.path("recordings").size(), recordings.toString());
      assertEquals(recordingSid, recordings.path("recordings").get(0).path("sid").asText());
      assertEquals(sid, recordings.path("recordings").get(0).path("call_sid").asText());
      JsonNode ofCall = get(second, "/Calls/" + sid + "/Recordings.json");
      assertEquals(recordingSid, ofCall.path("recordings").get(0).path("sid").asText());
      JsonNode one = get(second, "/Recordings/" + recordingSid + ".json");
      assertEquals(sid, one.path("call_sid").asText(), one.toString());
      JsonNode queues = get(second, "/Queues.json");
      assertEquals(1, queues.path("queues").size(), queues.toString());
      assertEquals("support", queues.path("queues").get(0).path("friendly_name").asText());
      assertEquals(0, queues.path("queues").get(0).path("current_size").asInt());
      // The start's sweep of the stored calls read the table once: the plugin's sequence actor,
      // which would poll it every second for good, never started.
      var lookup = second.node.system().classicSystem()
          .actorSelection("/system/pekko-persistence-jdbc-durable-state-sequence-actor")
          .resolveOne(Duration.ofSeconds(3)).toCompletableFuture();
      var missing = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class, lookup::get);
      assertTrue(missing.getCause() instanceof org.apache.pekko.actor.ActorNotFound,
          missing.toString());
    }
    try (E2eHarness forgetful = new E2eHarness(List.of(), Map.of())) {
      assertTrue(calls(forgetful, "").path("calls").isEmpty(), "a memory store starts empty");
    }
  }

  private static JsonNode calls(E2eHarness h, String query) {
    return get(h, "/Calls.json" + query);
  }

  private static JsonNode get(E2eHarness h, String path) {
    String account = h.node.system().settings().config().getString("switchboard.account-sid");
    var response = new ApiClient(h.node.publicUrl()).twilioGet(
        "/2010-04-01/Accounts/" + account + path, account, E2eHarness.AUTH_TOKEN);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    try {
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
