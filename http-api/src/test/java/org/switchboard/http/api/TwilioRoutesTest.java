package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.ApiTestServer.Reply;
import org.switchboard.http.api.CallModel.CallbackEvent;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.CallModel.EndMode;
import org.switchboard.http.api.CallModel.FetchUrl;
import org.switchboard.http.api.CallModel.InlineTwiml;
import org.switchboard.http.api.QueueControl.MemberInfo;
import org.switchboard.http.api.QueueControl.QueueInfo;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

class TwilioRoutesTest {
  private static final String LIVE = "CA" + "2".repeat(32);
  private static final String ENDED = "CA" + "3".repeat(32);
  private static final String QUEUE = "QU" + "4".repeat(32);
  private static final String RECORDING = "RE" + "5".repeat(32);
  private static ActorSystem system;
  private ApiTestServer server;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("twilio-routes-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    server = new ApiTestServer(system);
    FakeEngine engine = server.engine;
    engine.calls.put(LIVE, FakeEngine.call(LIVE, CallStatus.IN_PROGRESS, FakeEngine.T0));
    engine.calls.put(ENDED, FakeEngine.call(ENDED, CallStatus.COMPLETED, FakeEngine.T0));
    engine.queues.add(new QueueInfo(QUEUE, "hotline", 2, 1000, 42, FakeEngine.T0,
        FakeEngine.T0));
    engine.members.add(new MemberInfo(LIVE, QUEUE, FakeEngine.T0, 1, 30));
    engine.members.add(new MemberInfo(ENDED, QUEUE, FakeEngine.T0, 2, 10));
    engine.recordings.add(new RecordingInfo(RECORDING, LIVE, Optional.empty(), 1, "RecordVerb",
        "completed", FakeEngine.T0, Optional.of(Duration.ofSeconds(7)), FakeEngine.T0,
        FakeEngine.T0, Optional.empty()));
    engine.audio.put(RECORDING, "RIFFfake-wav".getBytes());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void wrongCredentialsAre401InTwilioShapeWithNoSideEffect() throws Exception {
    for (var auth : List.of(ApiTestServer.basic(ApiTestServer.ACCOUNT, "wrong"),
        ApiTestServer.basic("ACother", ApiTestServer.TOKEN),
        org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Authorization", "Basic !!"),
        org.apache.pekko.http.javadsl.model.headers.RawHeader.create("X-None", "x"))) {
      Reply reply = server.twilio("POST", "/Calls.json",
          "To=%2B14155551212&From=%2B1&Url=https%3A%2F%2Fapp%2Fx", auth);
      assertEquals(401, reply.status());
      JsonNode json = reply.json();
      assertEquals(20003, json.get("code").asInt());
      assertEquals(401, json.get("status").asInt());
      assertTrue(json.get("more_info").asText().endsWith("/20003"));
      assertTrue(json.has("message"));
      assertTrue(reply.header("WWW-Authenticate").startsWith("Basic"));
    }
    assertTrue(server.engine.seen.isEmpty(), "engine saw " + server.engine.seen);
  }

  @Test
  void apiKeyCredentialsAreAccepted() throws Exception {
    Reply reply = server.twilio("GET", "/Calls/" + LIVE + ".json", null,
        ApiTestServer.basic("SK" + "b".repeat(32), "key-secret"));
    assertEquals(200, reply.status(), reply.body());
  }

  @Test
  void createCallAnswers201QueuedWithTwilioFields() throws Exception {
    Reply reply = server.twilio("POST", "/Calls.json", "To=%2B14155551212&From=%2B14155550000"
        + "&Url=https%3A%2F%2Fapp.example%2Fvoice&Method=GET&StatusCallback=https%3A%2F%2Fapp"
        + ".example%2Fstatus&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing+answered"
        + "&Timeout=30&Record=true");
    assertEquals(201, reply.status(), reply.body());
    JsonNode call = reply.json();
    for (String field : List.of("sid", "account_sid", "parent_call_sid", "to", "to_formatted",
        "from", "from_formatted", "status", "start_time", "end_time", "duration", "direction",
        "answered_by", "caller_name", "uri", "subresource_uris", "date_created", "date_updated",
        "api_version", "price", "price_unit", "phone_number_sid", "forwarded_from", "group_sid",
        "queue_time", "trunk_sid")) {
      assertTrue(call.has(field), "missing " + field);
    }
    assertEquals("queued", call.get("status").asText());
    assertEquals("outbound-api", call.get("direction").asText());
    assertEquals(ApiTestServer.ACCOUNT, call.get("account_sid").asText());
    assertEquals("(415) 555-1212", call.get("to_formatted").asText());
    assertEquals("Fri, 20 Aug 2010 01:13:42 +0000", call.get("date_created").asText());
    assertEquals("2010-04-01", call.get("api_version").asText());
    assertTrue(call.get("uri").asText().endsWith("/Calls/" + call.get("sid").asText() + ".json"));
    CreateCallRequest seen = (CreateCallRequest) server.engine.seen.get(0);
    assertEquals(new FetchUrl(URI.create("https://app.example/voice"), "GET", Optional.empty(),
        "POST"), seen.instructions());
    assertEquals(Set.of(CallbackEvent.INITIATED, CallbackEvent.RINGING, CallbackEvent.ANSWERED),
        seen.statusCallbackEvents());
    assertEquals(Duration.ofSeconds(30), seen.timeout());
    assertTrue(seen.recording().isPresent());
  }

  @Test
  void createCallValidatesWithTwilioCodes() throws Exception {
    assertError(server.twilio("POST", "/Calls.json", "From=%2B14155551212&Url=https%3A%2F%2Fa%2Fb"),
        400, 21201);
    assertError(server.twilio("POST", "/Calls.json", "To=%2B14155551212&Url=https%3A%2F%2Fa%2Fb"),
        400, 21213);
    assertError(server.twilio("POST", "/Calls.json", "To=%2B14155551212&From=%2B14155550000"), 400, 21205);
    assertError(server.twilio("POST", "/Calls.json", "To=%2B14155551212&From=%2B14155550000&Url=not-a-url"),
        400, 21205);
    assertError(server.twilio("POST", "/Calls.json",
        "To=%2B14155551212&From=%2B14155550000&Url=https%3A%2F%2Fa%2Fb&Method=PUT"), 400, 21209);
    assertError(server.twilio("POST", "/Calls.json",
        "To=%2B14155551212&From=%2B14155550000&Twiml=%3CResponse%2F%3E&StatusCallbackEvent=exploded"), 400, 21200);
    assertTrue(server.engine.seen.isEmpty());
    Reply inline = server.twilio("POST", "/Calls.json",
        "To=%2B14155551212&From=%2B14155550000&Twiml=%3CResponse%3E%3CHangup%2F%3E%3C%2FResponse%3E"
            + "&StatusCallback=https%3A%2F%2Fa%2Fs");
    assertEquals(201, inline.status());
    CreateCallRequest seen = (CreateCallRequest) server.engine.seen.get(0);
    assertEquals(new InlineTwiml("<Response><Hangup/></Response>"), seen.instructions());
    assertEquals(Set.of(CallbackEvent.COMPLETED), seen.statusCallbackEvents());
  }

  @Test
  void fetchUnknownAndWrongMethodAndUnknownPaths() throws Exception {
    assertEquals(LIVE, server.twilio("GET", "/Calls/" + LIVE + ".json", null).json()
        .get("sid").asText());
    Reply unknown = server.twilio("GET", "/Calls/CA" + "9".repeat(32) + ".json", null);
    assertError(unknown, 404, 20404);
    assertError(server.twilio("GET", "/Nonsense.json", null), 404, 20404);
    Reply notAllowed = server.twilio("DELETE", "/Calls.json", null);
    assertError(notAllowed, 405, 20004);
    assertEquals("GET, POST", notAllowed.header("Allow"));
    Reply otherAccount = server.send(org.apache.pekko.http.javadsl.model.HttpRequest
        .GET("/2010-04-01/Accounts/AC" + "0".repeat(32) + "/Calls.json")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN)));
    assertError(otherAccount, 404, 20404);
  }

  @Test
  void listPagesWithTwilioEnvelope() throws Exception {
    for (int i = 0; i < 5; i++) {
      String sid = "CA" + "%032d".formatted(i);
      server.engine.calls.put(sid, FakeEngine.call(sid, CallStatus.COMPLETED,
          Instant.parse("2020-01-01T00:00:00Z")));
    }
    Reply first = server.twilio("GET", "/Calls.json?Status=completed&PageSize=2", null);
    assertEquals(200, first.status(), first.body());
    JsonNode page = first.json();
    assertEquals(2, page.get("calls").size());
    assertEquals(0, page.get("page").asInt());
    assertEquals(2, page.get("page_size").asInt());
    assertEquals(0, page.get("start").asInt());
    assertEquals(1, page.get("end").asInt());
    String path = "/2010-04-01/Accounts/" + ApiTestServer.ACCOUNT + "/Calls.json";
    assertEquals(path + "?Status=completed&PageSize=2&Page=0", page.get("uri").asText());
    assertEquals(path + "?Status=completed&PageSize=2&Page=0",
        page.get("first_page_uri").asText());
    assertEquals(path + "?Status=completed&PageSize=2&Page=1",
        page.get("next_page_uri").asText());
    assertTrue(page.get("previous_page_uri").isNull());
    Reply last = server.send(org.apache.pekko.http.javadsl.model.HttpRequest
        .GET(path + "?Status=completed&PageSize=2&Page=2")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN)));
    assertEquals(2, last.json().get("calls").size());
    assertTrue(last.json().get("next_page_uri").isNull());
    assertEquals(path + "?Status=completed&PageSize=2&Page=1",
        last.json().get("previous_page_uri").asText());
    assertError(server.twilio("GET", "/Calls.json?Status=sleeping", null), 400, 21200);
  }

  @Test
  void updateRedirectsOrEnds() throws Exception {
    Reply redirect = server.twilio("POST", "/Calls/" + LIVE + ".json",
        "Url=https%3A%2F%2Fapp%2Fnext&Method=POST");
    assertEquals(200, redirect.status(), redirect.body());
    assertEquals(new FetchUrl(URI.create("https://app/next"), "POST", Optional.empty(), "POST"),
        server.engine.seen.get(0));
    Reply end = server.twilio("POST", "/Calls/" + LIVE + ".json", "Status=completed");
    assertEquals("completed", end.json().get("status").asText());
    assertEquals(EndMode.COMPLETED, server.engine.seen.get(1));
    assertError(server.twilio("POST", "/Calls/" + ENDED + ".json", "Status=completed"),
        400, 21220);
    assertError(server.twilio("POST", "/Calls/" + ENDED + ".json", "Url=https%3A%2F%2Fa%2Fb"),
        400, 21220);
    assertError(server.twilio("POST", "/Calls/" + LIVE + ".json", "Status=paused"), 400, 21200);
  }

  @Test
  void queuesAndMembers() throws Exception {
    JsonNode list = server.twilio("GET", "/Queues.json", null).json();
    JsonNode queue = list.get("queues").get(0);
    assertEquals("hotline", queue.get("friendly_name").asText());
    assertEquals(2, queue.get("current_size").asInt());
    assertEquals(1000, queue.get("max_size").asInt());
    assertEquals(42, queue.get("average_wait_time").asInt());
    assertTrue(queue.get("uri").asText().endsWith("/Queues/" + QUEUE + ".json"));
    assertEquals(QUEUE, server.twilio("GET", "/Queues/" + QUEUE + ".json", null).json()
        .get("sid").asText());
    JsonNode members = server.twilio("GET", "/Queues/" + QUEUE + "/Members.json", null).json();
    assertEquals(2, members.get("queue_members").size());
    JsonNode front = server.twilio("GET", "/Queues/" + QUEUE + "/Members/Front.json", null)
        .json();
    assertEquals(LIVE, front.get("call_sid").asText());
    assertEquals(1, front.get("position").asInt());
    assertEquals(30, front.get("wait_time").asInt());
    assertEquals(QUEUE, front.get("queue_sid").asText());
    assertEquals("Fri, 20 Aug 2010 01:13:42 +0000", front.get("date_enqueued").asText());
    Reply dequeued = server.twilio("POST", "/Queues/" + QUEUE + "/Members/Front.json",
        "Url=https%3A%2F%2Fapp%2Fagent&Method=GET");
    assertEquals(200, dequeued.status(), dequeued.body());
    assertTrue(server.engine.seen.contains(new FakeEngine.Dequeue(QUEUE, "Front",
        URI.create("https://app/agent"), "GET")));
    assertError(server.twilio("POST", "/Queues/" + QUEUE + "/Members/" + ENDED + ".json", ""),
        400, 21205);
    assertError(server.twilio("GET", "/Queues/QU404.json", null), 404, 20404);
  }

  @Test
  void recordingsMetadataMediaAndDelete() throws Exception {
    JsonNode all = server.twilio("GET", "/Recordings.json", null).json();
    JsonNode recording = all.get("recordings").get(0);
    assertEquals(RECORDING, recording.get("sid").asText());
    assertEquals(LIVE, recording.get("call_sid").asText());
    assertEquals("7", recording.get("duration").asText());
    assertEquals(1, recording.get("channels").asInt());
    assertEquals("RecordVerb", recording.get("source").asText());
    assertEquals("completed", recording.get("status").asText());
    assertTrue(recording.get("media_url").asText().contains("/recordings/" + RECORDING + "?"));
    assertEquals(1, server.twilio("GET", "/Calls/" + LIVE + "/Recordings.json", null).json()
        .get("recordings").size());
    assertEquals(0, server.twilio("GET", "/Calls/" + ENDED + "/Recordings.json", null).json()
        .get("recordings").size());
    assertError(server.twilio("GET", "/Calls/" + ENDED + "/Recordings/" + RECORDING + ".json",
        null), 404, 20404);

    Reply wav = server.twilio("GET", "/Recordings/" + RECORDING + ".wav", null);
    assertEquals(200, wav.status());
    assertEquals("RIFFfake-wav", wav.body());
    assertEquals("audio/x-wav", wav.contentType());
    assertEquals(200, server.twilio("GET", "/Recordings/" + RECORDING, null).status());
    assertError(server.twilio("GET", "/Recordings/" + RECORDING + ".mp3", null), 415, 20415);
    assertError(server.twilio("GET", "/Recordings/" + RECORDING + ".wav", null,
        ApiTestServer.basic(ApiTestServer.ACCOUNT, "nope")), 401, 20003);

    assertEquals(204, server.twilio("DELETE", "/Recordings/" + RECORDING + ".json", null)
        .status());
    assertError(server.twilio("GET", "/Recordings/" + RECORDING + ".json", null), 404, 20404);
  }

  @Test
  void recordingMediaWithASignedUrlNeedsNoBasicAuth() throws Exception {
    URI signed = server.urls.recordingUrl(RECORDING);
    Reply reply = server.send(org.apache.pekko.http.javadsl.model.HttpRequest.GET(
        "/2010-04-01/Accounts/" + ApiTestServer.ACCOUNT + "/Recordings/" + RECORDING + ".wav?"
            + signed.getRawQuery()));
    assertEquals(200, reply.status(), reply.body());
    assertEquals("RIFFfake-wav", reply.body());
  }

  @Test
  void createCallRefusesNumbersThatCannotBeDialledWith21211And21212() throws Exception {
    String rest = "&Url=https%3A%2F%2Fapp%2Fx";
    for (String to : new String[] {"%ff%fe", "%2B1", "abc", "%2B1+555+0100", "client%3Aal+ice",
        "client%3A", "sip%3A", "sip%3Abob%40", "tel%3A%2B14155551212", "%2B1415%005551212"}) {
      assertError(server.twilio("POST", "/Calls.json",
          "To=" + to + "&From=%2B14155550000" + rest), 400, 21211);
    }
    assertError(server.twilio("POST", "/Calls.json", "To=%2B14155551212&From=%ff%fe" + rest),
        400, 21212);
    assertTrue(server.engine.seen.isEmpty(), "dialled " + server.engine.seen);
    for (String to : new String[] {"client%3Aalice", "sip%3Abob%40pbx.example%3Bx-id%3D1",
        "1001", "%2B442071838750"}) {
      assertEquals(201, server.twilio("POST", "/Calls.json",
          "To=" + to + "&From=%2B14155550000" + rest).status(), to);
    }
  }

  @Test
  void aBodyOverTheLimitIs413InTwilioShape() throws Exception {
    Reply reply = server.twilio("POST", "/Calls.json", "To=%2B14155551212&From=%2B14155550000"
        + "&Url=https%3A%2F%2Fapp%2Fx&Padding=" + "a".repeat(1 << 20));
    assertError(reply, 413, 20413);
    assertTrue(server.engine.seen.isEmpty());
  }

  private static void assertError(Reply reply, int status, int code) {
    assertEquals(status, reply.status(), reply.body());
    JsonNode json = reply.json();
    assertEquals(code, json.get("code").asInt(), reply.body());
    assertEquals(status, json.get("status").asInt());
    assertEquals("https://www.twilio.com/docs/errors/" + code, json.get("more_info").asText());
    assertTrue(json.get("message").isTextual());
  }
}
