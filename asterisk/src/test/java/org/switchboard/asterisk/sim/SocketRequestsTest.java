package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARI REST over the event WebSocket: RESTRequest frames answered as Asterisk 22 answers them
 * (res/ari/ari_websocket_requests.c): the ids echoed, the uri without its query, the body as a
 * JSON string, refusals with "Bad request" and a message, 406 for binary answers.
 */
class SocketRequestsTest {
  @TempDir Path recordings;

  @Test
  void commandsAndQueriesAreAnsweredOnTheSocket() throws Exception {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.sim.inboundCall("+15550001", "100");
      f.events.await(e -> type(e, "StasisStart"));

      send(f, request("t-1", "r-1", "POST", "channels/" + call + "/answer"));
      JsonNode answered = response(f, "r-1");
      assertEquals("t-1", answered.path("transaction_id").asText());
      assertEquals(204, answered.path("status_code").asInt());
      assertEquals("No Content", answered.path("reason_phrase").asText());
      assertEquals("channels/" + call + "/answer", answered.path("uri").asText());
      assertFalse(answered.has("message_body"), answered.toString());
      assertEquals("sb", answered.path("application").asText());
      assertFalse(answered.path("asterisk_id").asText().isEmpty());
      assertFalse(answered.path("timestamp").asText().isEmpty());
      f.events.await(e -> type(e, "ChannelStateChange")
          && e.path("channel").path("state").asText().equals("Up"));

      send(f, request("", "r-2", "GET", "channels/" + call));
      JsonNode channel = response(f, "r-2");
      assertEquals(200, channel.path("status_code").asInt());
      assertEquals("OK", channel.path("reason_phrase").asText());
      assertEquals("application/json", channel.path("content_type").asText());
      JsonNode body = SimTestClient.JSON.readTree(channel.path("message_body").asText());
      assertEquals(call, body.path("id").asText());
      assertEquals("Up", body.path("state").asText());

      send(f, request("", "r-3", "GET", "channels/no-such-channel"));
      JsonNode missing = response(f, "r-3");
      assertEquals(404, missing.path("status_code").asInt());
      assertEquals("Not Found", missing.path("reason_phrase").asText());
      assertEquals("Channel not found", SimTestClient.JSON.readTree(
          missing.path("message_body").asText()).path("message").asText());

      List<SimLog.Request> logged = f.sim.log().requests();
      assertTrue(logged.stream().anyMatch(r -> r.transport().equals(SimLog.WEBSOCKET)
          && r.method().equals("POST") && r.path().equals("/ari/channels/" + call + "/answer")
          && r.status() == 204), logged.toString());
    }
  }

  @Test
  void parametersComeFromTheQueryTheArrayAFormOrAJsonBody() throws Exception {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      ObjectNode viaArray = request("", "a", "POST", "channels/" + call + "/variable");
      viaArray.putArray("query_strings")
          .add(SimTestClient.JSON.createObjectNode().put("name", "variable").put("value", "A"))
          .add(SimTestClient.JSON.createObjectNode().put("name", "value").put("value", "1"));
      send(f, viaArray);
      assertEquals(204, response(f, "a").path("status_code").asInt());

      send(f, request("", "b", "POST", "channels/" + call + "/variable")
          .put("content_type", "application/x-www-form-urlencoded")
          .put("message_body", "variable=B&value=two%20words"));
      assertEquals(204, response(f, "b").path("status_code").asInt());

      send(f, request("", "c", "POST", "channels/" + call + "/variable?variable=C")
          .put("content_type", "application/json")
          .put("message_body", "{\"value\":\"3\"}"));
      JsonNode c = response(f, "c");
      assertEquals(204, c.path("status_code").asInt());
      assertEquals("channels/" + call + "/variable", c.path("uri").asText(), "no query in uri");

      for (String[] expected : new String[][] {{"A", "1"}, {"B", "two words"}, {"C", "3"}}) {
        String id = "get-" + expected[0];
        send(f, request("", id, "GET",
            "channels/" + call + "/variable?variable=" + expected[0]));
        JsonNode value = SimTestClient.JSON.readTree(response(f, id).path("message_body").asText());
        assertEquals(expected[1], value.path("value").asText());
      }
    }
  }

  @Test
  void malformedRequestsAreRefusedWithAsterisksMessages() throws Exception {
    try (SimFixture f = new SimFixture(recordings)) {
      Map<String, ObjectNode> refused = Map.of(
          "No 'type' property.", request("", "x1", "GET", "channels").without("type"),
          "Unknown request type.", request("", "x2", "GET", "channels").put("type", "RESTCall"),
          "Empty or missing 'uri' property.", request("", "x3", "GET", ""),
          "Unknown or missing 'method' property.", request("", "x4", "FETCH", "channels"),
          "No 'content_type' for 'message_body'.",
          request("", "x5", "POST", "channels").put("message_body", "{}"),
          "Unknown content type.", request("", "x6", "POST", "channels")
              .put("content_type", "text/plain").put("message_body", "hello"),
          "Unable to parse 'query_strings' array.",
          request("", "x7", "GET", "channels").put("query_strings", "spy=both"));
      for (Map.Entry<String, ObjectNode> e : refused.entrySet()) {
        send(f, e.getValue());
        JsonNode answer = response(f, e.getValue().path("request_id").asText());
        assertEquals(400, answer.path("status_code").asInt(), e.getKey());
        assertEquals("Bad request", answer.path("reason_phrase").asText());
        assertEquals(e.getKey(), SimTestClient.JSON.readTree(
            answer.path("message_body").asText()).path("message").asText());
      }
      f.events.socket.sendText("not json at all", true).join();
      send(f, request("", "after", "GET", "channels"));
      assertEquals(200, response(f, "after").path("status_code").asInt(),
          "a frame that is not JSON is skipped and the socket keeps serving");
    }
  }

  @Test
  void aBinaryAnswerIsRefusedOnTheSocket() throws Exception {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      f.client.rest("POST", "/ari/channels/" + call + "/record",
          Map.of("name", "vm", "format", "wav", "maxDurationSeconds", 1));
      f.advance(1000);
      f.events.await(e -> type(e, "RecordingFinished"));
      send(f, request("", "file", "GET", "recordings/stored/vm/file"));
      JsonNode file = response(f, "file");
      assertEquals(406, file.path("status_code").asInt());
      assertEquals("Not Acceptable.  Use HTTP GET", file.path("reason_phrase").asText());
      assertEquals(200, f.client.rest("GET", "/ari/recordings/stored/vm/file", Map.of()).status(),
          "over HTTP the file is served");
    }
  }

  private static ObjectNode request(String transaction, String id, String method, String uri) {
    return SimTestClient.JSON.createObjectNode().put("type", "RESTRequest")
        .put("transaction_id", transaction).put("request_id", id)
        .put("method", method).put("uri", uri);
  }

  private static void send(SimFixture f, ObjectNode frame) {
    f.events.socket.sendText(frame.toString(), true).join();
  }

  private static JsonNode response(SimFixture f, String requestId) {
    return f.events.await(e -> type(e, "RESTResponse")
        && e.path("request_id").asText().equals(requestId));
  }

  private static boolean type(JsonNode e, String type) {
    return e.path("type").asText().equals(type);
  }
}
