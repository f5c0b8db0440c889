package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.ApiTestServer.Reply;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingTarget;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

/**
 * One test per request shape of the Llamenos bridge's endpoint table (protocol document §1.3)
 * and of the Worker's own paths, over a real HTTP server on 127.0.0.1: what the engine was asked
 * and what the caller got back.
 */
class BridgeEndpointsTest {
  private static final String PARENT = "CA" + "f".repeat(32);
  private static final String PUBKEY = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
  private static ActorSystem system;
  private ApiTestServer server;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("bridge-endpoints-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    server = new ApiTestServer(system);
    server.engine.calls.put(PARENT, FakeEngine.call(PARENT, CallStatus.IN_PROGRESS, FakeEngine.T0));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private RingRequest lastRing() {
    return (RingRequest) server.engine.seen.stream().filter(RingRequest.class::isInstance)
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no ring reached the engine"));
  }

  @Test
  void ringWithTheBridgePayloadNeedsNoAnswerUrl() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"parentCallSid":"%s","callerNumber":"+15550001111",
         "volunteers":[{"pubkey":"%s","phone":"+15552223333","browserIdentity":"vol_ab12cd34ef56"}],
         "callbackUrl":"https://worker.example","hubId":"hub 1"}
        """.formatted(PARENT, PUBKEY));
    assertEquals(200, reply.status(), reply.body());
    JsonNode json = reply.json();
    assertTrue(json.get("ok").asBoolean());
    assertEquals(1, json.get("channelIds").size(), json.toString());
    assertEquals("leg-1", json.get("channelIds").get(0).asText());
    assertEquals(json.get("legs").get(0).get("legSid").asText(),
        json.get("callSids").get(0).asText());
    RingTarget target = lastRing().targets().get(0);
    assertEquals(Optional.of("+15552223333"), target.phone());
    assertEquals(Optional.of("vol_ab12cd34ef56"), target.browserIdentity());
    assertEquals(URI.create("https://worker.example/api/telephony/volunteer-answer?parentCallSid="
        + PARENT + "&pubkey=" + PUBKEY + "&hub=hub%201"), target.answerUrl().orElseThrow());
    assertEquals(URI.create("https://worker.example/api/telephony/call-status?parentCallSid="
        + PARENT + "&pubkey=" + PUBKEY + "&hub=hub%201"), target.statusCallback().orElseThrow());
  }

  @Test
  void ringWithTheLaterUsersSpellingAndTheConfiguredWorkerUrl() throws Exception {
    server.close();
    server = new ApiTestServer(system, SeedSettings.fromConfig(ConfigFactory.parseString(
        "switchboard.seed.worker-url = \"https://hotline.example/base/\"")
        .withFallback(ConfigFactory.defaultReference())));
    server.engine.calls.put(PARENT, FakeEngine.call(PARENT, CallStatus.IN_PROGRESS, FakeEngine.T0));
    Reply reply = server.signedPost("/ring", """
        {"callSid":"%s","callerNumber":"+15550001111",
         "users":[{"pubkey":"p1","phone":"+15552223333"},{"pubkey":"p2","browserIdentity":"vol_p2"}],
         "callbackUrl":"https://ignored.example"}
        """.formatted(PARENT));
    assertEquals(200, reply.status(), reply.body());
    List<RingTarget> targets = lastRing().targets();
    assertEquals(2, targets.size());
    assertEquals(URI.create("https://hotline.example/base/api/telephony/volunteer-answer"
        + "?parentCallSid=" + PARENT + "&pubkey=p2"), targets.get(1).answerUrl().orElseThrow());
  }

  @Test
  void ringWithItsOwnAnswerUrlKeepsIt() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"parentCallSid":"%s","callerNumber":"+15550001111","answerUrl":"https://app.example/a",
         "volunteers":[{"pubkey":"p1","phone":"+15552223333"}],"callbackUrl":"https://w.example"}
        """.formatted(PARENT));
    assertEquals(200, reply.status(), reply.body());
    RingRequest ring = lastRing();
    assertEquals(Optional.of(URI.create("https://app.example/a")), ring.answerUrl());
    assertEquals(Optional.empty(), ring.targets().get(0).answerUrl());
    assertTrue(ring.targets().get(0).statusCallback().isPresent(),
        "the status callback still defaults to the Worker's call-status");
  }

  @Test
  void ringRefusesACallbackUrlThatIsNotAbsolute() throws Exception {
    Reply reply = server.signedPost("/ring", """
        {"parentCallSid":"%s","callerNumber":"+15550001111","callbackUrl":"/relative",
         "volunteers":[{"pubkey":"p1","phone":"+15552223333"}]}
        """.formatted(PARENT));
    assertEquals(400, reply.status(), reply.body());
    assertTrue(reply.body().contains("callbackUrl"), reply.body());
  }

  @Test
  void theWorkersCommandPathsAreAliases() throws Exception {
    Reply ring = server.signedPost("/commands/ring", """
        {"parentCallSid":"%s","callerNumber":"+15550001111",
         "volunteers":[{"pubkey":"p1","phone":"+15552223333"}],"callbackUrl":"https://w.example",
         "hubId":"h"}""".formatted(PARENT));
    assertEquals(200, ring.status(), ring.body());
    assertEquals(1, ring.json().get("callSids").size(), "the cffd719a Worker reads callSids");
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply cancel = server.signedPost("/commands/cancel-ringing",
        "{\"callSids\":[\"CA1\",\"CA2\"],\"exceptSid\":\"CA2\"}");
    assertEquals(200, cancel.status(), cancel.body());
    assertEquals(new CancelRingingRequest(List.of("CA1", "CA2"), Optional.of("CA2")),
        server.engine.seen.get(server.engine.seen.size() - 1));
    assertEquals("[\"CA1\"]", cancel.json().get("canceled").toString());
    Reply hangup = server.signedPost("/commands/hangup", "{\"channelId\":\"chan-7\"}");
    assertEquals(200, hangup.status(), hangup.body());
    assertEquals(new HangupRequest("chan-7"), server.engine.seen.get(server.engine.seen.size() - 1));
    assertTrue(hangup.json().get("ok").asBoolean());
  }

  @Test
  void bridgeCancelRingingAndHangupShapes() throws Exception {
    Reply cancel = server.signedPost("/cancel-ringing",
        "{\"channelIds\":[\"c1\",\"c2\",\"c3\"],\"exceptId\":\"c3\"}");
    assertEquals(200, cancel.status(), cancel.body());
    assertTrue(cancel.json().get("ok").asBoolean());
    assertEquals(new CancelRingingRequest(List.of("c1", "c2", "c3"), Optional.of("c3")),
        server.engine.seen.get(server.engine.seen.size() - 1));
    Reply hangup = server.signedPost("/hangup", "{\"channelId\":\"c9\"}");
    assertEquals(200, hangup.status(), hangup.body());
    assertEquals(new HangupRequest("c9"), server.engine.seen.get(server.engine.seen.size() - 1));
  }

  @Test
  void commandRingWithTheBridgesEndpointShape() throws Exception {
    Reply phone = server.signedPost("/command", """
        {"action":"ring","endpoint":"PJSIP/+15552223333@trunk","callerId":"+15550001111",
         "timeout":30,"answerCallbackParams":{"parentCallSid":"%s","pubkey":"p1"}}
        """.formatted(PARENT));
    assertEquals(200, phone.status(), phone.body());
    RingTarget target = lastRing().targets().get(0);
    assertEquals("p1", target.id());
    assertEquals(Optional.of("+15552223333"), target.phone());
    assertEquals(java.time.Duration.ofSeconds(30), lastRing().timeout().orElseThrow());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply browser = server.signedPost("/command", """
        {"action":"ring","endpoint":"PJSIP/vol_ab12","callerId":"+15550001111",
         "answerCallbackParams":{"parentCallSid":"%s","pubkey":"p2"}}
        """.formatted(PARENT));
    assertEquals(200, browser.status(), browser.body());
    assertEquals(Optional.of("vol_ab12"), lastRing().targets().get(0).browserIdentity());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply local = server.signedPost("/command", """
        {"action":"ring","endpoint":"Local/s@default","callerId":"+15550001111",
         "answerCallbackParams":{"parentCallSid":"%s","pubkey":"p3"}}
        """.formatted(PARENT));
    assertEquals(400, local.status(), "only what the dial templates produce is dialled");
  }

  @Test
  void commandCarriesEveryAction() throws Exception {
    Reply hangup = server.signedPost("/command", "{\"action\":\"hangup\",\"channelId\":\"c1\"}");
    assertEquals(200, hangup.status(), hangup.body());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply cancel = server.signedPost("/command",
        "{\"action\":\"cancelRinging\",\"channelIds\":[\"c1\",\"c2\"],\"exceptId\":\"c2\"}");
    assertEquals(200, cancel.status(), cancel.body());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply ring = server.signedPost("/command", """
        {"action":"ring","parentCallSid":"%s","callerNumber":"+15550001111",
         "volunteers":[{"pubkey":"p1","phone":"+15552223333"}],"callbackUrl":"https://w.example"}
        """.formatted(PARENT));
    assertEquals(200, ring.status(), ring.body());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply status = server.signedPost("/command", "{\"action\":\"status\"}");
    assertEquals(200, status.status(), status.body());
    assertEquals(1, status.json().get("activeQueues").asInt(), status.body());
    assertEquals(2, status.json().get("ringingChannels").asInt());
    server.clock.advance(java.time.Duration.ofSeconds(1));
    addRecording("RE1", PARENT, "RIFFone");
    Reply audio = server.signedPost("/command",
        "{\"action\":\"getRecordingAudio\",\"recordingSid\":\"RE1\"}");
    assertEquals(200, audio.status(), audio.body());
    assertEquals("RIFFone", decode(audio.json()));
  }

  @Test
  void recordingsByCallAnswerBase64AudioFromTheCallOrItsChildLeg() throws Exception {
    String leg = "CA" + "e".repeat(32);
    CallInfo child = FakeEngine.call(leg, CallStatus.COMPLETED, FakeEngine.T0);
    server.engine.calls.put(leg, new CallInfo(leg, Optional.of(PARENT), child.to(), child.from(),
        child.status(), "outbound-api", child.startTime(), child.endTime(), child.duration(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), child.dateCreated(),
        child.dateUpdated()));
    addRecording("RE2", leg, "RIFFbridged");
    Reply reply = server.signedBodiless(HttpMethods.GET, "/recordings/call/" + PARENT,
        RawHeader.create("Content-Type", "application/json"));
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    assertEquals("RIFFbridged", decode(reply.json()));
    assertEquals("RE2", reply.json().get("recordingSid").asText());
    Reply none = server.signedBodiless(HttpMethods.GET, "/recordings/call/CAnothing");
    assertEquals(404, none.status(), none.body());
    assertEquals(401, server.get("/recordings/call/" + PARENT).status());
  }

  @Test
  void aRecordingAskedForAsJsonIsBase64AndOtherwiseAudio() throws Exception {
    addRecording("RE3", PARENT, "RIFFthree");
    Reply json = server.signedBodiless(HttpMethods.GET, "/recordings/RE3",
        RawHeader.create("Accept", "application/json"));
    assertEquals(200, json.status(), json.body());
    assertEquals("RIFFthree", decode(json.json()));
    Reply wav = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.GET("/recordings/RE3")
        .addHeader(RawHeader.create("Accept", "application/json, text/plain, */*"))
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN)));
    assertEquals(200, wav.status());
    assertEquals("RIFFthree", wav.body(), "an application's client accepting JSON gets audio");
    assertTrue(wav.contentType().startsWith("audio/"), wav.contentType());
  }

  @Test
  void twoSignedGetsOfOneSecondBothPassButARepeatIsRefused() throws Exception {
    addRecording("RE4", PARENT, "RIFFfour");
    addRecording("RE5", PARENT, "RIFFfive");
    var json = RawHeader.create("Accept", "application/json");
    assertEquals(200, server.signedBodiless(HttpMethods.GET, "/recordings/RE4", json).status());
    assertEquals(200, server.signedBodiless(HttpMethods.GET, "/recordings/RE5", json).status(),
        "the same signature on another path is another request");
    assertEquals(403, server.signedBodiless(HttpMethods.GET, "/recordings/RE4", json).status(),
        "the same request again is a replay");
  }

  @Test
  void aSignatureThatRanOneCommandRunsNoOtherAliasesIncluded() throws Exception {
    String body = "{\"channelId\":\"chan-8\"}";
    long now = server.clock.instant().getEpochSecond();
    assertEquals(200, server.signedPost("/hangup", body, now, ApiTestServer.SECRET).status());
    Reply alias = server.signedPost("/commands/hangup", body, now, ApiTestServer.SECRET);
    assertEquals(403, alias.status(), "replayed on the alias: " + alias.body());
    Reply command = server.signedPost("/cancel-ringing", body, now, ApiTestServer.SECRET);
    assertEquals(403, command.status(), "replayed on another command: " + command.body());
    assertEquals(1, server.engine.seen.stream().filter(HangupRequest.class::isInstance).count());
  }

  @Test
  void requestsSignedTheLlamenosPlatformWayAreAcceptedOnceAndOnlyForTheirUrl() throws Exception {
    String body = "{\"channelId\":\"chan-9\"}";
    long now = server.clock.millis();
    String url = server.base() + "/hangup";
    String signature = platformSignature(now, url, body);
    assertEquals(200, platformPost("/hangup", body, now, signature).status());
    assertEquals(new HangupRequest("chan-9"), server.engine.seen.get(server.engine.seen.size() - 1));
    Reply again = platformPost("/hangup", body, now, signature);
    assertEquals(403, again.status(), "a replay: " + again.body());
    Reply moved = platformPost("/commands/hangup", body, now, signature);
    assertEquals(401, moved.status(), "the URL is signed: " + moved.body());
    long later = now + 1;
    Reply otherHost = platformPost("/hangup", body, later,
        platformSignature(later, "http://attacker.example/hangup", body));
    assertEquals(401, otherHost.status(), otherHost.body());
    long old = now - 301_000;
    Reply expired = platformPost("/hangup", body, old, platformSignature(old, url, body));
    assertEquals(403, expired.status(), expired.body());
    assertEquals(1, server.engine.seen.stream().filter(HangupRequest.class::isInstance).count());

    // GET /recordings/* with ?ts=&sig= (the signed URL without them).
    addRecording("RE9", PARENT, "RIFFnine");
    long ts = now + 2;
    String recording = "/recordings/RE9";
    Reply wav = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.GET(recording
        + "?ts=" + ts + "&sig=" + java.net.URLEncoder.encode(platformSignature(ts,
            server.base() + recording, ""), StandardCharsets.UTF_8)));
    assertEquals(200, wav.status(), wav.body());
    assertTrue(wav.contentType().startsWith("audio/"), wav.contentType());
    Reply forged = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.GET(recording
        + "?ts=" + ts + "&sig=" + java.net.URLEncoder.encode(platformSignature(ts,
            server.base() + "/recordings/RE2", ""), StandardCharsets.UTF_8)));
    assertEquals(401, forged.status(), forged.body());
  }

  /** The llamenos-platform Worker's signature, written from the protocol document §1.2. */
  private static String platformSignature(long millis, String url, String body) {
    return org.switchboard.http.testing.WorkerValidators.platformSignature(ApiTestServer.SECRET,
        millis, url, body.getBytes(StandardCharsets.UTF_8));
  }

  private Reply platformPost(String path, String body, long millis, String signature)
      throws Exception {
    return server.send(org.apache.pekko.http.javadsl.model.HttpRequest.POST(path)
        .withEntity(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, body)
        .addHeader(RawHeader.create("X-Bridge-Signature", signature))
        .addHeader(RawHeader.create("X-Bridge-Timestamp", Long.toString(millis))));
  }

  @Test
  void deleteRecordingIsSignedAndDeletes() throws Exception {
    addRecording("RE6", PARENT, "RIFFsix");
    assertEquals(401, server.send(org.apache.pekko.http.javadsl.model.HttpRequest
        .create("/recordings/RE6").withMethod(HttpMethods.DELETE)).status());
    assertTrue(server.engine.recordings.stream().anyMatch(r -> r.sid().equals("RE6")),
        "a refused DELETE touches nothing");
    Reply reply = server.signedBodiless(HttpMethods.DELETE, "/recordings/RE6");
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.json().get("ok").asBoolean());
    assertFalse(server.engine.recordings.stream().anyMatch(r -> r.sid().equals("RE6")));
    server.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(404, server.signedBodiless(HttpMethods.DELETE, "/recordings/RE6").status());
  }

  @Test
  void healthHasTheBridgesFieldsAndSince() throws Exception {
    server.clock.advance(java.time.Duration.ofSeconds(7));
    server.engine.counts = new BridgeCounts(3, 4, 5, 6);
    JsonNode json = server.get("/health").json();
    assertEquals(7, json.get("uptime").asLong());
    assertEquals(3, json.get("activeCalls").asInt());
    assertEquals(4, json.get("activeQueues").asInt());
    assertEquals(5, json.get("activeBridges").asInt());
    assertEquals(6, json.get("ringingChannels").asInt());
    assertFalse(json.get("sipConfigured").asBoolean());
    assertTrue(json.get("sipConfigSkipped").asBoolean());
    assertEquals(FakeEngine.T0.toString(), json.get("asterisk").get(0).get("since").asText());
  }

  @Test
  void statusHasTheBridgesShapeAndAsteriskInfoAsJson() throws Exception {
    Reply reply = server.signedBodiless(HttpMethods.GET, "/status");
    assertEquals(200, reply.status(), reply.body());
    JsonNode json = reply.json();
    assertEquals("ok", json.get("status").asText());
    assertEquals(1, json.get("bridge").get("activeQueues").asInt());
    assertEquals("22.10.1", json.get("asterisk").get("system").get("version").asText());
    assertEquals("02:42:ac:11:00:02", json.get("asterisk").get("system").get("entity_id").asText());
    assertEquals(4, json.get("channels").asInt());
    assertEquals(1, json.get("bridges").asInt());
    assertFalse(reply.body().contains("AsteriskInfo["), "never a Java toString");
    server.engine.asteriskInfo = Optional.empty();
    server.clock.advance(java.time.Duration.ofSeconds(1));
    Reply down = server.signedBodiless(HttpMethods.GET, "/status");
    assertEquals(500, down.status(), down.body());
    assertEquals("error", down.json().get("status").asText());
    assertTrue(down.json().get("error").asText().contains("connection refused"), down.body());
    assertEquals(3, down.json().get("bridge").get("activeCalls").asInt());
  }

  @Test
  void provisioningWithoutAsteriskIs503() throws Exception {
    Reply reply = server.signedPost("/provision-endpoint", "{\"pubkey\":\"" + PUBKEY + "\"}");
    assertEquals(503, reply.status(), reply.body());
  }

  private void addRecording(String sid, String callSid, String audio) {
    Instant at = FakeEngine.T0.plusSeconds(server.engine.recordings.size());
    server.engine.recordings.add(new RecordingInfo(sid, callSid, Optional.empty(), 1, "DialVerb",
        "completed", at, Optional.of(java.time.Duration.ofSeconds(3)), at, at, Optional.empty()));
    server.engine.audio.put(sid, audio.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(JsonNode json) {
    return new String(Base64.getDecoder().decode(json.get("audio").asText()),
        StandardCharsets.US_ASCII);
  }
}
