package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.http.api.ApiTestServer.Reply;
import org.switchboard.http.signature.BridgeSignature;

class RecordingAndStatusRoutesTest {
  private static final String NAME = "RE" + "7".repeat(32);
  private static ActorSystem system;
  private ApiTestServer server;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("recording-status-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void start() throws Exception {
    server = new ApiTestServer(system);
    server.engine.audio.put(NAME, "RIFF-audio".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private String pathOf(URI uri) {
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  @Test
  void validSignedUrlStreamsTheWav() throws Exception {
    Reply reply = server.get(pathOf(server.urls.recordingUrl(NAME)));
    assertEquals(200, reply.status(), reply.body());
    assertEquals("RIFF-audio", reply.body());
    assertEquals("audio/x-wav", reply.contentType());
    assertEquals("open " + NAME + " WAV", server.engine.seen.get(0));
  }

  @Test
  void suffixAppendedToTheWholeUrlSelectsTheFormat() throws Exception {
    Reply mp3 = server.get(pathOf(server.urls.recordingUrl(NAME)) + ".mp3");
    assertEquals(415, mp3.status(), mp3.body());
    assertEquals("open " + NAME + " MP3", server.engine.seen.get(0));
    server.engine.mp3Encoder = true;
    Reply encoded = server.get(pathOf(server.urls.recordingUrl(NAME)) + ".mp3");
    assertEquals(200, encoded.status());
    assertEquals("audio/mpeg", encoded.contentType());
    Reply wav = server.get(pathOf(server.urls.recordingUrl(NAME)) + ".wav");
    assertEquals(200, wav.status());
  }

  @Test
  void unsignedTamperedAndExpiredUrlsAreRefusedWithoutTouchingTheStore() throws Exception {
    URI signed = server.urls.recordingUrl(NAME);
    assertEquals(401, server.get("/recordings/" + NAME).status());
    String otherName = "/recordings/RE" + "8".repeat(32) + "?" + signed.getRawQuery();
    assertEquals(401, server.get(otherName).status());
    String query = signed.getRawQuery();
    String flipped = query.substring(0, query.length() - 1)
        + (query.endsWith("0") ? "1" : "0");
    assertEquals(401, server.get("/recordings/" + NAME + "?" + flipped).status());
    long expires = Long.parseLong(query.replaceAll(".*expires=(\\d+).*", "$1"));
    String extended = query.replace("expires=" + expires, "expires=" + (expires + 3600));
    assertEquals(401, server.get("/recordings/" + NAME + "?" + extended).status());
    server.clock.advance(java.time.Duration.ofSeconds(3601));
    Reply expired = server.get(pathOf(signed));
    assertEquals(403, expired.status());
    assertTrue(server.engine.seen.isEmpty(), "store saw " + server.engine.seen);
  }

  @Test
  void basicOrBridgeSignedGetAlsoWork() throws Exception {
    Reply basic = server.send(HttpRequest.GET("/recordings/" + NAME + ".wav")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN)));
    assertEquals(200, basic.status());
    long now = server.clock.instant().getEpochSecond();
    Reply bridge = server.send(HttpRequest.GET("/recordings/" + NAME)
        .addHeader(RawHeader.create(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now)))
        .addHeader(RawHeader.create(BridgeSignature.SIGNATURE_HEADER,
            BridgeSignature.sign(ApiTestServer.SECRET, now, new byte[0]))));
    assertEquals(200, bridge.status(), bridge.body());
    assertEquals(404, server.send(HttpRequest.GET("/recordings/REunknown")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN))).status());
  }

  @Test
  void healthNeedsNoAuthAndReportsLinks() throws Exception {
    server.clock.advance(java.time.Duration.ofSeconds(42));
    Reply reply = server.get("/health");
    assertEquals(200, reply.status());
    var json = reply.json();
    assertEquals("degraded", json.get("status").asText());
    assertEquals(42, json.get("uptimeSeconds").asLong());
    assertEquals(3, json.get("activeCalls").asInt());
    assertEquals("pbx1", json.get("asterisk").get(0).get("serverId").asText());
    assertEquals("disconnected", json.get("asterisk").get(1).get("state").asText());
  }

  @Test
  void statusNeedsBasicOrBridgeSignature() throws Exception {
    assertEquals(401, server.get("/status").status());
    assertEquals(401, server.send(HttpRequest.GET("/status")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, "wrong"))).status());
    Reply basic = server.send(HttpRequest.GET("/status")
        .addHeader(ApiTestServer.basic(ApiTestServer.ACCOUNT, ApiTestServer.TOKEN)));
    assertEquals(200, basic.status(), basic.body());
    assertEquals(4, basic.json().get("servers").get(0).get("channels").asInt());
    assertEquals("22.10.1", basic.json().get("servers").get(0).get("summary").get("version")
        .asText());
    assertEquals("22.10.1", basic.json().get("servers").get(0).get("asterisk").get("system")
        .get("version").asText());
    long now = server.clock.instant().getEpochSecond();
    Reply bridge = server.send(HttpRequest.GET("/status")
        .addHeader(RawHeader.create(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now)))
        .addHeader(RawHeader.create(BridgeSignature.SIGNATURE_HEADER,
            BridgeSignature.sign(ApiTestServer.SECRET, now, new byte[0]))));
    assertEquals(200, bridge.status());
    Reply stale = server.send(HttpRequest.GET("/status")
        .addHeader(RawHeader.create(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now - 400)))
        .addHeader(RawHeader.create(BridgeSignature.SIGNATURE_HEADER,
            BridgeSignature.sign(ApiTestServer.SECRET, now - 400, new byte[0]))));
    assertEquals(403, stale.status());
  }

  @Test
  void metricsExposeTheStandardFamilies() throws Exception {
    server.metrics.activeCallsSource(() -> 5);
    server.metrics.callEnded(CallStatus.NO_ANSWER);
    server.metrics.webhookLatency("voice", java.time.Duration.ofMillis(30));
    server.metrics.queuesSource(() -> server.engine.queues);
    server.engine.queues.add(new QueueControl.QueueInfo("QU1", "hot\"line", 3, 10, 9,
        FakeEngine.T0, FakeEngine.T0));
    Reply reply = server.get("/metrics");
    assertEquals(200, reply.status());
    assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
    assertTrue(reply.contentType().contains("version=0.0.4"), reply.contentType());
    var families = PrometheusTextParser.parse(reply.body());
    for (String family : java.util.List.of("switchboard_active_calls",
        "switchboard_calls_ended_total", "switchboard_webhook_latency_seconds",
        "switchboard_ari_command_latency_seconds", "switchboard_ari_event_lag_seconds",
        "switchboard_queue_size", "switchboard_queue_average_wait_seconds",
        "switchboard_ringing_legs", "switchboard_ari_reconnects_total",
        "switchboard_outbox_depth")) {
      assertTrue(families.containsKey(family), "missing family " + family);
    }
    assertEquals(5.0, families.get("switchboard_active_calls").value("switchboard_active_calls",
        java.util.Map.of()));
    assertEquals(3.0, families.get("switchboard_queue_size").value("switchboard_queue_size",
        java.util.Map.of("queue", "hot\"line")));
    assertEquals(1.0, families.get("switchboard_webhook_latency_seconds").value(
        "switchboard_webhook_latency_seconds_bucket",
        java.util.Map.of("purpose", "voice", "le", "0.05")));
  }
}
