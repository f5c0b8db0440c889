package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.AriStubServer.Answer;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.ServerEvent;

/**
 * ARI commands as RESTRequest frames on the event socket: against a stub that plays Asterisk's
 * part frame by frame (probe, answers, errors, a socket that closes with commands waiting, a server
 * that ignores the frames), and against the simulator end to end.
 */
class SocketRestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TS = "\"timestamp\":\"2026-12-02T04:00:00.000+0000\"";

  private ActorSystem system;
  private AriStubServer stub;
  private AriConnector connector;
  private final AriConnectorTest.Engine engine = new AriConnectorTest.Engine();

  @BeforeEach
  void start() throws Exception {
    system = ActorSystem.create("socket-rest-test");
    stub = new AriStubServer(system);
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    stub.close();
    TestKit.shutdownActorSystem(system);
  }

  private AriServerConfig stubServer() {
    return AriServerConfig.basic("ast1", stub.baseUrl(), "app", "user", "pw")
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2);
  }

  @Test
  void commandsTravelOnTheSocketOnceTheProbeIsAnswered() throws Exception {
    connector = AriConnector.start(system, List.of(stubServer()), engine);
    BoundedSourceQueue<Message> socket = stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    JsonNode probe = nextFrame();
    assertEquals("GET", probe.path("method").asText());
    assertEquals("asterisk/ping", probe.path("uri").asText());
    AriRestClient rest = connector.client("ast1");
    assertFalse(rest.commandsOverSocket(), "not before the probe is answered");
    respond(socket, probe, 200, "{\"ping\":\"pong\"}");
    assertTrue(rest.socket().probed().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(rest.commandsOverSocket());

    CompletionStage<?> answered = rest.channels().answer("c1");
    JsonNode answer = nextFrame();
    assertEquals("RESTRequest", answer.path("type").asText());
    assertEquals("POST", answer.path("method").asText());
    assertEquals("channels/c1/answer", answer.path("uri").asText());
    respond(socket, answer, 204, null);
    answered.toCompletableFuture().get(10, TimeUnit.SECONDS);

    CompletionStage<?> play = rest.channels().play("c1", "pb-1", List.of("sound:hello world"));
    JsonNode played = nextFrame();
    assertEquals("channels/c1/play?media=sound:hello+world&playbackId=pb-1",
        played.path("uri").asText());
    respond(socket, played, 201, "{\"id\":\"pb-1\",\"media_uri\":\"sound:hello world\","
        + "\"target_uri\":\"channel:c1\",\"language\":\"en\",\"state\":\"queued\"}");
    play.toCompletableFuture().get(10, TimeUnit.SECONDS);

    CompletionStage<?> missing = rest.channels().answer("gone");
    respond(socket, nextFrame(), 404, "{\"message\":\"Channel not found\"}");
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> missing.toCompletableFuture().get(10, TimeUnit.SECONDS));
    AriCommandException refused = assertInstanceOf(AriCommandException.class, error.getCause());
    assertEquals(404, refused.status());
    assertTrue(refused.getMessage().contains("Channel not found"), refused.getMessage());

    assertTrue(stub.seen.stream().noneMatch(s -> s.path().contains("/channels/c1")),
        "no HTTP request for a command that went on the socket: " + stub.seen);

    stub.answer("POST /ari/channels/odd%20id/answer", Answer.json(204, ""));
    rest.channels().answer("odd id").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(stub.seen.stream().anyMatch(s -> s.path().equals("/ari/channels/odd%20id/answer")),
        "a path that needs percent-encoding goes over HTTP: " + stub.seen);
    assertTrue(stub.frames.isEmpty(), stub.frames.toString());
  }

  @Test
  void aSocketThatClosesSendsTheCommandsWaitingOnItOverHttp() throws Exception {
    connector = AriConnector.start(system, List.of(stubServer()), engine);
    BoundedSourceQueue<Message> socket = stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    respond(socket, nextFrame(), 200, "{\"ping\":\"pong\"}");
    AriRestClient rest = connector.client("ast1");
    assertTrue(rest.socket().probed().toCompletableFuture().get(10, TimeUnit.SECONDS));

    // The hangup ran on the server before the socket closed: HTTP finds the channel gone.
    stub.answer("DELETE /ari/channels/c1", Answer.json(404, "{\"message\":\"Channel not found\"}"));
    // The originate ran too: the lookup by our channel id finds it.
    stub.answer("GET /ari/channels/sb-leg-1", Answer.json(200, CHANNEL_SB_LEG_1));
    CompletionStage<?> hangup = rest.channels().hangup("c1", HangupReason.NORMAL);
    assertEquals("channels/c1?reason=normal", nextFrame().path("uri").asText());
    CompletionStage<org.switchboard.asterisk.ari.Channel> originate = rest.channels().originate(
        new OriginateParams("PJSIP/100", "sb-leg-1", null, null, null, 0, null, java.util.Map.of()));
    assertTrue(nextFrame().path("uri").asText().startsWith("channels?"));
    socket.complete();

    hangup.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("sb-leg-1", originate.toCompletableFuture().get(5, TimeUnit.SECONDS).id());
    assertTrue(stub.seen.stream().anyMatch(s -> s.method().equals("DELETE")
        && s.path().equals("/ari/channels/c1")), "the hangup went again over HTTP: " + stub.seen);
    assertTrue(stub.seen.stream().noneMatch(s -> s.method().equals("POST")
        && s.path().equals("/ari/channels")), "the originate that ran is not made twice");
    engine.nextServer(ServerEvent.Disconnected.class);
    assertFalse(connector.links().get("ast1").connected());

    stub.nextSocket();
    nextFrame(); // the new socket's probe, left unanswered: commands stay on HTTP meanwhile
    stub.answer("POST /ari/channels/c2/answer", Answer.json(204, ""));
    rest.channels().answer("c2").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(stub.seen.stream().anyMatch(s -> s.path().equals("/ari/channels/c2/answer")));
  }

  private static final String CHANNEL_SB_LEG_1 = "{\"id\":\"sb-leg-1\",\"name\":\"PJSIP/100-1\","
      + "\"state\":\"Down\",\"caller\":{\"name\":\"\",\"number\":\"\"},"
      + "\"connected\":{\"name\":\"\",\"number\":\"\"},\"accountcode\":\"\","
      + "\"dialplan\":{\"context\":\"default\",\"exten\":\"s\",\"priority\":1,"
      + "\"app_name\":\"\",\"app_data\":\"\"},\"creationtime\":\"2026-12-02T04:00:00.000+0000\","
      + "\"language\":\"en\"}";

  @Test
  void aServerThatIgnoresTheFramesKeepsCommandsOnHttp() throws Exception {
    AriServerConfig server = stubServer().withRequestTimeout(Duration.ofMillis(300));
    connector = AriConnector.start(system, List.of(server), engine);
    stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    AriRestClient rest = connector.client("ast1");
    assertEquals("asterisk/ping", nextFrame().path("uri").asText());
    assertFalse(rest.socket().probed().toCompletableFuture().get(10, TimeUnit.SECONDS));
    stub.answer("POST /ari/channels/c1/answer", Answer.json(204, ""));
    rest.channels().answer("c1").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(stub.seen.stream().anyMatch(s -> s.path().equals("/ari/channels/c1/answer")));
    assertTrue(stub.frames.isEmpty(), "only the probe went on the socket: " + stub.frames);
    assertFalse(rest.commandsOverSocket());
  }

  @Test
  void againstTheSimulatorCommandsUseTheSocketUnlessToldOtherwise() throws Exception {
    AriSimulator sim = new AriSimulator();
    try {
      sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"));
      AriServerConfig socketServer =
          AriServerConfig.basic("sim", sim.baseUrl() + "/ari", "switchboard", "asterisk", "asterisk");
      connector = AriConnector.start(system, List.of(socketServer), engine);
      engine.nextServer(ServerEvent.Connected.class);
      engine.nextServer(ServerEvent.Resynced.class);
      AriRestClient rest = connector.client("sim");
      assertTrue(rest.socket().probed().toCompletableFuture().get(10, TimeUnit.SECONDS));
      String call = sim.inboundCall("+15551110001", "+15550001000");
      awaitStasis(call);
      rest.channels().answer(call).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(SimLog.WEBSOCKET, transportOf(sim, "/ari/channels/" + call + "/answer"));
      ExecutionException missing = assertThrows(ExecutionException.class,
          () -> rest.recordings().storedFile("none").toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(404, assertInstanceOf(AriCommandException.class, missing.getCause()).status());
      assertEquals(SimLog.HTTP, transportOf(sim, "/ari/recordings/stored/none/file"),
          "binary answers are fetched over HTTP");
      connector.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);

      engine.server.clear();
      AriServerConfig httpServer = socketServer.withRestTransport(RestTransport.HTTP);
      connector = AriConnector.start(system, List.of(httpServer), engine);
      engine.nextServer(ServerEvent.Connected.class);
      engine.nextServer(ServerEvent.Resynced.class);
      AriRestClient overHttp = connector.client("sim");
      String second = sim.inboundCall("+15551110002", "+15550001000");
      awaitStasis(second);
      overHttp.channels().answer(second).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(SimLog.HTTP, transportOf(sim, "/ari/channels/" + second + "/answer"));
      assertFalse(overHttp.commandsOverSocket());
    } finally {
      if (connector != null) {
        connector.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connector = null;
      }
      sim.close();
    }
  }

  private static String transportOf(AriSimulator sim, String path) {
    return sim.log().requests().stream().filter(r -> r.path().equals(path))
        .map(SimLog.Request::transport).findFirst().orElseThrow(() -> new AssertionError(path));
  }

  private void awaitStasis(String channel) throws InterruptedException {
    ChannelEvent event;
    do {
      event = engine.nextEvent();
    } while (!(event instanceof ChannelEvent.StasisEntered s && s.channel().id().equals(channel)));
  }

  private JsonNode nextFrame() throws Exception {
    String frame = stub.frames.poll(10, TimeUnit.SECONDS);
    assertNotNull(frame, "a frame from the client within the deadline");
    return JSON.readTree(frame);
  }

  /** Answers {@code request} the way Asterisk does (res/ari/ari_websocket_requests.c). */
  private static void respond(BoundedSourceQueue<Message> socket, JsonNode request, int status,
      String body) {
    String uri = request.path("uri").asText();
    int q = uri.indexOf('?');
    var response = JSON.createObjectNode().put("type", "RESTResponse")
        .put("transaction_id", request.path("transaction_id").asText(""))
        .put("request_id", request.path("request_id").asText(""))
        .put("status_code", status).put("reason_phrase", status < 300 ? "OK" : "Not Found")
        .put("uri", q < 0 ? uri : uri.substring(0, q));
    if (body != null) {
      response.put("content_type", "application/json").put("message_body", body);
    }
    String text = response.toString();
    AriStubServer.push(socket, text.substring(0, text.length() - 1) + "," + TS
        + ",\"asterisk_id\":\"00:00:00:00:00:01\",\"application\":\"app\"}");
  }
}
