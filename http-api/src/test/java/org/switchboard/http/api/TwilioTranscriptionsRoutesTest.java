package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.http.api.ApiTestServer.Reply;

/**
 * The Transcriptions resource's routes behind the Twilio REST credentials, on a store that knows
 * none (RecordingStore's defaults): 401 without Basic, the Twilio list envelope, 404 and 405 in
 * Twilio's shape.
 */
class TwilioTranscriptionsRoutesTest {
  private static final String TRANSCRIPTION = "TR" + "6".repeat(32);
  private static final String RECORDING = "RE" + "5".repeat(32);
  private static ActorSystem system;
  private ApiTestServer server;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("twilio-transcriptions-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    server = new ApiTestServer(system);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void everyTranscriptionPathNeedsTheAccountsCredentials() throws Exception {
    for (String path : new String[] {"/Transcriptions.json",
        "/Transcriptions/" + TRANSCRIPTION + ".json",
        "/Recordings/" + RECORDING + "/Transcriptions.json",
        "/Recordings/" + RECORDING + "/Transcriptions/" + TRANSCRIPTION + ".json"}) {
      Reply reply = server.twilio("GET", path, null,
          ApiTestServer.basic(ApiTestServer.ACCOUNT, "wrong"));
      assertEquals(401, reply.status(), path);
      assertEquals(20003, reply.json().get("code").asInt(), path);
    }
  }

  @Test
  void listsFetchesAndMethodsAnswerInTwilioShape() throws Exception {
    JsonNode all = server.twilio("GET", "/Transcriptions.json", null).json();
    assertEquals(0, all.get("transcriptions").size());
    assertEquals("/2010-04-01/Accounts/" + ApiTestServer.ACCOUNT + "/Transcriptions.json",
        all.get("uri").asText().replaceAll("\\?.*", ""));
    JsonNode ofRecording = server.twilio("GET",
        "/Recordings/" + RECORDING + "/Transcriptions.json", null).json();
    assertEquals(0, ofRecording.get("transcriptions").size());
    Reply unknown = server.twilio("GET", "/Transcriptions/" + TRANSCRIPTION + ".json", null);
    assertEquals(404, unknown.status());
    assertEquals(20404, unknown.json().get("code").asInt());
    assertEquals(404, server.twilio("DELETE",
        "/Recordings/" + RECORDING + "/Transcriptions/" + TRANSCRIPTION + ".json", null).status());
    Reply post = server.twilio("POST", "/Transcriptions.json", "");
    assertEquals(405, post.status());
    assertEquals("GET", post.header("Allow"));
  }
}
