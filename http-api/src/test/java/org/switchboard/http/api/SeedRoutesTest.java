package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.ApiTestServer.Reply;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.RingRequest;

class SeedRoutesTest {
  private static final String PARENT = "CA" + "f".repeat(32);
  private static ActorSystem system;
  private ApiTestServer server;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("seed-routes-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    server = new ApiTestServer(system);
    server.engine.calls.put(PARENT,
        FakeEngine.call(PARENT, CallStatus.IN_PROGRESS, FakeEngine.T0));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void ringWithFirstSpellings() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"parentCallSid":"%s","callerNumber":"+15550001111","timeout":25,
         "answerUrl":"https://app.example/answer","statusCallback":"https://app.example/status",
         "volunteers":[{"id":"v1","phone":"+15552223333"},{"id":"v2","sipUri":"sip:v2@pbx"}]}
        """.formatted(PARENT));
    assertEquals(200, reply.status(), reply.body());
    JsonNode json = reply.json();
    assertTrue(json.get("ok").asBoolean());
    assertEquals(2, json.get("legs").size());
    assertEquals("+15552223333", json.get("legs").get(0).get("target").asText());
    assertEquals("leg-1", json.get("legs").get(0).get("channelId").asText());
    assertTrue(json.get("legs").get(0).get("legSid").asText().startsWith("CA"));
    RingRequest seen = (RingRequest) server.engine.seen.get(0);
    assertEquals(PARENT, seen.parentCallSid());
    assertEquals("+15550001111", seen.callerNumber());
    assertEquals(Optional.of(Duration.ofSeconds(25)), seen.timeout());
    assertEquals(Optional.of(URI.create("https://app.example/answer")), seen.answerUrl());
    assertEquals(Optional.of("sip:v2@pbx"), seen.targets().get(1).sipUri());
  }

  @Test
  void ringWithSecondSpellings() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"callSid":"%s","callerNumber":"+15550001111",
         "users":[{"pubkey":"npub1","browserIdentity":"alice"}]}
        """.formatted(PARENT));
    assertEquals(200, reply.status(), reply.body());
    RingRequest seen = (RingRequest) server.engine.seen.get(0);
    assertEquals(PARENT, seen.parentCallSid());
    assertEquals("npub1", seen.targets().get(0).id());
    assertEquals("client:alice", reply.json().get("legs").get(0).get("target").asText());
  }

  @Test
  void ringRejectsBadBodiesWithoutCallingTheEngine() throws Exception {
    assertBadRequest("{not json", "not valid JSON");
    assertBadRequest("[1,2]", "JSON object");
    assertBadRequest("{\"callerNumber\":\"+1\",\"volunteers\":[{\"id\":\"a\",\"phone\":\"+15552223333\"}]}",
        "parentCallSid (or callSid) is required");
    assertBadRequest("{\"callSid\":\"%s\",\"callerNumber\":\"+1\",\"volunteers\":[]}"
        .formatted(PARENT), "volunteers (or users)");
    assertBadRequest("{\"callSid\":\"%s\",\"callerNumber\":\"+1\",\"users\":[{\"id\":\"a\"}]}"
        .formatted(PARENT), "at least one of phone");
    assertBadRequest(("{\"callSid\":\"%s\",\"parentCallSid\":\"CAother\",\"callerNumber\":\"+1\","
        + "\"users\":[{\"id\":\"a\",\"phone\":\"+15552223333\"}]}").formatted(PARENT), "disagree");
    assertBadRequest(("{\"callSid\":\"%s\",\"callerNumber\":\"+1\",\"timeout\":\"soon\","
        + "\"users\":[{\"id\":\"a\",\"phone\":\"+15552223333\"}]}").formatted(PARENT), "timeout");
    assertBadRequest(("{\"callSid\":\"%s\",\"callerNumber\":\"+1\",\"answerUrl\":\"/relative\","
        + "\"users\":[{\"id\":\"a\",\"phone\":\"+15552223333\"}]}").formatted(PARENT), "answerUrl");
    assertTrue(server.engine.seen.isEmpty());
  }

  @Test
  void ringRefusesNumbersAndAddressesThatCannotBeDialled() throws Exception {
    String ring = "{\"callSid\":\"%s\",\"callerNumber\":%s,\"users\":[{\"id\":\"a\",%s}]}";
    String goodCaller = "\"+15550001111\"";
    for (String phone : new String[] {"\\u00ff\\u00fe", "+1", "+1 555 0100", "555-0100", "abc",
        "+1555\\u00000100001"}) {
      assertBadRequest(ring.formatted(PARENT, goodCaller, "\"phone\":\"" + phone + "\""),
          "volunteers[0].phone must be an E.164 number");
    }
    for (String sip : new String[] {"http://pbx/x", "sip:", "sip:bob@", "sip:bob @pbx",
        "sip:b\\u00e9b@pbx"}) {
      assertBadRequest(ring.formatted(PARENT, goodCaller, "\"sipUri\":\"" + sip + "\""),
          "volunteers[0].sipUri must be a sip: or sips: URI");
    }
    assertBadRequest(ring.formatted(PARENT, goodCaller, "\"browserIdentity\":\"al ice\""),
        "volunteers[0].browserIdentity");
    assertBadRequest(ring.formatted(PARENT, "\"\\u00ff\\u00fe\"", "\"phone\":\"+15552223333\""),
        "callerNumber must be");
    assertTrue(server.engine.seen.isEmpty(), "the engine saw " + server.engine.seen);
    for (String caller : new String[] {"\"anonymous\"", "\"1001\"", "\"client:alice\""}) {
      server.clock.advance(java.time.Duration.ofSeconds(1));
      Reply reply = server.signedPost("/ring", ring.formatted(PARENT, caller,
          "\"phone\":\"1002\",\"sipUri\":\"sips:bob@pbx.example:5061;transport=tls\","
              + "\"browserIdentity\":\"bob_1\""));
      assertEquals(200, reply.status(), reply.body());
    }
  }

  private void assertBadRequest(String body, String messagePart) throws Exception {
    Reply reply = server.signedPost("/ring", body);
    assertEquals(400, reply.status(), reply.body());
    assertEquals(false, reply.json().get("ok").asBoolean());
    assertTrue(reply.json().get("message").asText().contains(messagePart), reply.body());
  }

  @Test
  void ringOfAnUnknownCallIs404() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"callSid":"CAnope","callerNumber":"+1","users":[{"id":"a","phone":"+15552223333"}]}""");
    assertEquals(404, reply.status());
    assertEquals("not-found", reply.json().get("error").asText());
  }

  @Test
  void cancelRingingAcceptsBothSpellings() throws Exception {
    Reply first = server.signedPost("/cancel-ringing",
        "{\"channelIds\":[\"c1\",\"c2\",\"c3\"],\"exceptId\":\"c2\"}");
    assertEquals(200, first.status(), first.body());
    assertEquals(List.of("c1", "c3"), List.of(first.json().get("canceled").get(0).asText(),
        first.json().get("canceled").get(1).asText()));
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply second = server.signedPost("/cancel-ringing",
        "{\"callSids\":[\"CA1\",\"CA2\"],\"exceptSid\":\"CA1\"}");
    assertEquals(200, second.status(), second.body());
    assertEquals(new CancelRingingRequest(List.of("c1", "c2", "c3"), Optional.of("c2")),
        server.engine.seen.get(0));
    assertEquals(new CancelRingingRequest(List.of("CA1", "CA2"), Optional.of("CA1")),
        server.engine.seen.get(1));
  }

  @Test
  void hangupAcceptsBothSpellings() throws Exception {
    assertEquals(200, server.signedPost("/hangup", "{\"channelId\":\"chan-1\"}").status());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(200, server.signedPost("/hangup", "{\"callSid\":\"CA9\"}").status());
    assertEquals(List.of(new HangupRequest("chan-1"), new HangupRequest("CA9")),
        server.engine.seen);
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(404, server.signedPost("/hangup", "{\"callSid\":\"gone\"}").status());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(400, server.signedPost("/hangup", "{}").status());
  }

  @Test
  void commandDispatchesEachAction() throws Exception {
    assertEquals(200, server.signedPost("/command",
        "{\"action\":\"hangup\",\"channelId\":\"c7\"}").status());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(200, server.signedPost("/command",
        "{\"action\":\"cancelRinging\",\"channelIds\":[\"c8\"]}").status());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply ring = server.signedPost("/command", ("{\"action\":\"ring\",\"callSid\":\"%s\","
        + "\"callerNumber\":\"+1\",\"users\":[{\"id\":\"a\",\"phone\":\"+15552223333\"}]}").formatted(PARENT));
    assertEquals(200, ring.status(), ring.body());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply status = server.signedPost("/command", "{\"action\":\"status\"}");
    assertEquals(200, status.status(), status.body());
    assertEquals(3, status.json().get("activeCalls").asInt());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply call = server.signedPost("/command",
        "{\"action\":\"status\",\"callSid\":\"%s\"}".formatted(PARENT));
    assertEquals("in-progress", call.json().get("status").asText());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply unknown = server.signedPost("/command", "{\"action\":\"explode\"}");
    assertEquals(400, unknown.status());
    assertTrue(unknown.json().get("message").asText().contains("explode"));
  }

  @Test
  void forgedExpiredAndReplayedSignaturesHaveNoSideEffect() throws Exception {
    String body = "{\"channelId\":\"chan-1\"}";
    long now = server.clock.instant().getEpochSecond();
    Reply forged = server.signedPost("/hangup", body, now, "wrong-secret");
    assertEquals(401, forged.status());
    assertEquals("signature-mismatch", forged.json().get("error").asText());
    Reply expired = server.signedPost("/hangup", body, now - 301, ApiTestServer.SECRET);
    assertEquals(403, expired.status());
    Reply future = server.signedPost("/hangup", body, now + 301, ApiTestServer.SECRET);
    assertEquals(403, future.status());
    Reply unsigned = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.POST("/hangup")
        .withEntity(body));
    assertEquals(401, unsigned.status());
    assertTrue(server.engine.seen.isEmpty(), "the engine saw " + server.engine.seen);

    assertEquals(200, server.signedPost("/hangup", body).status());
    Reply replayed = server.signedPost("/hangup", body);
    assertEquals(403, replayed.status());
    assertEquals("signature-replayed", replayed.json().get("error").asText());
    assertEquals(1, server.engine.seen.size());
    assertEquals(1.0, server.metrics.registry().scrape().lines()
        .filter(l -> l.startsWith("switchboard_api_auth_failures_total{endpoint=\"hangup\","
            + "reason=\"replayed\"}")).count());
  }

  @Test
  void aSignatureCoversTheWholeBody() throws Exception {
    long now = server.clock.instant().getEpochSecond();
    String signature = org.switchboard.http.signature.BridgeSignature.sign(
        ApiTestServer.SECRET, now, "{\"channelId\":\"a\"}".getBytes());
    Reply tampered = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.POST("/hangup")
        .withEntity("{\"channelId\":\"b\"}")
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
            "X-Bridge-Signature", signature))
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
            "X-Bridge-Timestamp", Long.toString(now))));
    assertEquals(401, tampered.status());
    assertTrue(server.engine.seen.isEmpty());
  }

  @Test
  void aBodyOverTheLimitIs413InTheSeedShapeAndNeverParsed() throws Exception {
    String big = "{\"channelId\":\"" + "a".repeat((1 << 20) + 1) + "\"}";
    Reply reply = server.signedPost("/hangup", big);
    assertEquals(413, reply.status(), reply.body());
    assertEquals("body-too-large", reply.json().get("error").asText());
    assertTrue(reply.json().get("message").asText().contains("1048576"), reply.body());
    Reply chunked = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.POST("/hangup")
        .withEntity(org.apache.pekko.http.javadsl.model.HttpEntities.createChunked(
            org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON,
            org.apache.pekko.stream.javadsl.Source.from(java.util.Collections.nCopies(
                2, org.apache.pekko.util.ByteString.fromString("a".repeat(600_000)))))));
    assertEquals(413, chunked.status(), "no declared length: counted while read: " + chunked.body());
    assertEquals("body-too-large", chunked.json().get("error").asText());
    assertTrue(server.engine.seen.isEmpty());
  }
}
