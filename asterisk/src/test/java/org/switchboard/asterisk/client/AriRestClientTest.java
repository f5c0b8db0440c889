package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.ari.Channel;
import org.switchboard.asterisk.client.AriStubServer.Answer;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;

/** The REST client against a stub ARI over real HTTP on 127.0.0.1. */
class AriRestClientTest {
  private static final String CHANNEL =
      "{\"id\":\"c1\",\"name\":\"PJSIP/a-1\",\"state\":\"Up\",\"protocol_id\":\"\","
          + "\"caller\":{\"name\":\"A\",\"number\":\"100\"},\"connected\":{\"name\":\"\",\"number\":\"\"},"
          + "\"accountcode\":\"\",\"dialplan\":{\"context\":\"in\",\"exten\":\"100\",\"priority\":1,"
          + "\"app_name\":\"Stasis\",\"app_data\":\"app\"},\"creationtime\":\"2026-11-22T02:04:01.459+0000\","
          + "\"language\":\"en\",\"channelvars\":{\"UNICASTRTP_LOCAL_PORT\":\"4000\"}}";

  private static ActorSystem system;
  private static AriStubServer stub;
  private static AriRestClient client;

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create("rest-client-test");
    stub = new AriStubServer(system);
    client = clientFor("ast1", "user", "s3cret", c -> c.withRequestTimeout(Duration.ofMillis(500)));
  }

  @AfterAll
  static void stop() throws Exception {
    stub.close();
    TestKit.shutdownActorSystem(system);
  }

  /** A client of the stub server {@code id}, its basic-auth config changed by {@code tweak}. */
  private static AriRestClient clientFor(
      String id, String user, String password, UnaryOperator<AriServerConfig> tweak) {
    return new AriRestClient(
        system, tweak.apply(AriServerConfig.basic(id, stub.baseUrl(), "app", user, password)));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AriCommandException failure(CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
    return assertInstanceOf(AriCommandException.class, e.getCause());
  }

  private static AriStubServer.Seen last(String method, String path) {
    List<AriStubServer.Seen> matching =
        stub.seen.stream().filter(s -> s.method().equals(method) && s.path().equals(path)).toList();
    assertTrue(!matching.isEmpty(), "stub saw " + method + " " + path);
    return matching.get(matching.size() - 1);
  }

  @Test
  void notFoundCarriesAsterisksMessage() {
    stub.answer("GET /ari/channels/nope", Answer.json(404, "{\"message\":\"Channel not found\"}"));
    AriCommandException e = failure(client.channels().get("nope"));
    assertEquals(404, e.status());
    assertEquals("Channel not found", e.asteriskMessage());
    assertEquals("GET /channels/{id}", e.operation());
    assertEquals("ast1", e.serverId());
    assertTrue(e.isNotFound());
  }

  @Test
  void aChannelListLargerThanTheHttpClientsDefaultLimitIsRead() {
    // 50,000 channels: ~20 MB of JSON, past Pekko's 8 MiB default for a response. A resync that
    // cannot read the list never reconnects, and strands every call on the server.
    int count = 50_000;
    StringBuilder list = new StringBuilder(count * 420).append('[');
    for (int i = 0; i < count; i++) {
      list.append(i == 0 ? "" : ",").append("{\"id\":\"held-").append(i)
          .append("\",\"name\":\"PJSIP/held-").append(i).append("\",\"state\":\"Up\",")
          .append("\"protocol_id\":\"\",\"caller\":{\"name\":\"Caller\",\"number\":\"+1555\"},")
          .append("\"connected\":{\"name\":\"\",\"number\":\"\"},\"accountcode\":\"\",")
          .append("\"dialplan\":{\"context\":\"in\",\"exten\":\"100\",\"priority\":2,")
          .append("\"app_name\":\"Stasis\",\"app_data\":\"app\"},")
          .append("\"creationtime\":\"2026-11-22T02:04:01.459+0000\",\"language\":\"en\",")
          .append("\"channelvars\":{\"SB_CALL\":\"CA0123456789abcdef0123456789abcdef\"}}");
    }
    String body = list.append(']').toString();
    assertTrue(body.length() > 8 * 1024 * 1024, "the list is past the default: " + body.length());
    stub.answer("GET /ari/channels", Answer.json(200, body));
    AriRestClient patient = clientFor("ast1", "user", "s3cret",
        c -> c.withRequestTimeout(Duration.ofSeconds(30)));
    List<Channel> channels = patient.channels().list().toCompletableFuture().join();
    assertEquals(count, channels.size());
    assertEquals("held-49999", channels.get(count - 1).id());
  }

  @Test
  void allocationFailureCarriesTheErrorKey() {
    stub.answer("POST /ari/channels", Answer.json(500, "{\"error\":\"Allocation failed\"}"));
    AriCommandException e =
        failure(
            client.channels()
                .originate(new OriginateParams("PJSIP/nobody", "leg1", null, null, null, 0, null, null)));
    assertEquals(500, e.status());
    assertEquals("Allocation failed", e.asteriskMessage());
  }

  @Test
  void noAnswerInTimeIsStatusZero() {
    stub.hang("POST /ari/channels/slow/answer");
    AriCommandException e = failure(client.channels().answer("slow"));
    assertEquals(0, e.status());
    assertTrue(e.asteriskMessage().contains("500 ms"), e.asteriskMessage());
  }

  @Test
  void aFullRequestPoolMakesCommandsWaitInsteadOfFailing() throws Exception {
    // One connection: the pool holds 64 requests; with the first answer held back, the 200
    // commands below are all outstanding at once, so most of them find the pool full.
    AriRestClient narrow = clientFor("ast1", "user", "s3cret",
        c -> c.withMaxConnections(1).withRequestTimeout(Duration.ofSeconds(30)));
    CompletableFuture<Void> open = new CompletableFuture<>();
    stub.answer("POST /ari/channels/burst/ring", Answer.json(204, ""));
    stub.gate("POST /ari/channels/burst/ring", open);
    List<CompletableFuture<Done>> rings = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rings.add(narrow.channels().ring("burst").toCompletableFuture());
    }
    open.complete(null);
    for (CompletableFuture<Done> ring : rings) {
      assertEquals(Done.getInstance(), ring.get(30, TimeUnit.SECONDS));
    }
    long sent = stub.seen.stream().filter(s -> s.path().equals("/ari/channels/burst/ring")).count();
    assertEquals(200, sent, "each command reached Asterisk exactly once");
  }

  @Test
  void connectionRefusedIsStatusZero() throws Exception {
    AriStubServer gone = new AriStubServer(system);
    String url = gone.baseUrl();
    gone.close();
    AriRestClient dead = new AriRestClient(system, AriServerConfig.basic("ast9", url, "app", "u", "p"));
    assertEquals(0, failure(dead.channels().list()).status());
  }

  @Test
  void basicAuthHeaderIsSent() throws Exception {
    stub.answer("POST /ari/channels/c1/answer", new Answer(204, "application/json", new byte[0]));
    await(client.channels().answer("c1"));
    String expected =
        "Basic " + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.of(expected), last("POST", "/ari/channels/c1/answer").auth());
  }

  @Test
  void apiKeyGoesInTheQuery() throws Exception {
    AriRestClient keyed = clientFor("ast2", "", "",
        c -> c.withCredentials(new AriServerConfig.ApiKey("user:pw")));
    stub.answer("GET /ari/bridges", Answer.json(200, "[]"));
    assertEquals(List.of(), await(keyed.bridges().list()));
    AriStubServer.Seen seen = last("GET", "/ari/bridges");
    assertEquals("user:pw", seen.query().get("api_key"));
    assertEquals(Optional.empty(), seen.auth());
  }

  @Test
  void originateSendsChosenIdsAndVariables() throws Exception {
    stub.answer("POST /ari/channels", Answer.json(200, CHANNEL));
    Channel channel =
        await(
            client.channels()
                .originate(
                    new OriginateParams(
                        "Local/100@out", "leg1", "leg1-far", "dial-leg,A", "\"Hotline\" <100>", 20,
                        "c0", Map.of("SWITCHBOARD_CALL", "CA1"))));
    assertEquals("c1", channel.id());
    AriStubServer.Seen seen = last("POST", "/ari/channels");
    assertEquals("leg1", seen.query().get("channelId"));
    assertEquals("leg1-far", seen.query().get("otherChannelId"));
    assertEquals("app", seen.query().get("app"));
    assertEquals("dial-leg,A", seen.query().get("appArgs"));
    assertEquals("20", seen.query().get("timeout"));
    assertEquals("c0", seen.query().get("originator"));
    assertEquals("{\"variables\":{\"SWITCHBOARD_CALL\":\"CA1\"}}", seen.body());
  }

  @Test
  void playHangupAndBridgeCommandsSendTheirParameters() throws Exception {
    stub.answer(
        "POST /ari/channels/c1/play",
        Answer.json(201, "{\"id\":\"pb1\",\"media_uri\":\"sound:a\",\"target_uri\":\"channel:c1\",\"state\":\"queued\"}"));
    assertEquals("queued", await(client.channels().play("c1", "pb1", List.of("sound:a", "sound:b"))).state());
    assertEquals("sound:a,sound:b", last("POST", "/ari/channels/c1/play").query().get("media"));
    assertEquals("pb1", last("POST", "/ari/channels/c1/play").query().get("playbackId"));

    stub.answer("DELETE /ari/channels/c1", new Answer(204, "application/json", new byte[0]));
    await(client.channels().hangup("c1", HangupReason.ANSWERED_ELSEWHERE));
    assertEquals("answered_elsewhere", last("DELETE", "/ari/channels/c1").query().get("reason"));

    stub.answer("POST /ari/bridges/b1/addChannel", new Answer(204, "application/json", new byte[0]));
    await(client.bridges().addChannels("b1", List.of("c1", "c2")));
    assertEquals("c1,c2", last("POST", "/ari/bridges/b1/addChannel").query().get("channel"));
  }

  @Test
  void missingVariableIsEmptyAndStoredFilesAreBytes() throws Exception {
    stub.answer(
        "GET /ari/channels/c1/variable", Answer.json(404, "{\"message\":\"Provided variable was not found\"}"));
    assertEquals(Optional.empty(), await(client.channels().getVariable("c1", "NOPE")));
    stub.answer("GET /ari/channels/c2/variable", Answer.json(200, "{\"value\":\"hello world\"}"));
    assertEquals(Optional.of("hello world"), await(client.channels().getVariable("c2", "X")));

    byte[] wav = {'R', 'I', 'F', 'F', 0, 1, 2};
    stub.answer("GET /ari/recordings/stored/r1/file", new Answer(200, "audio/wav", wav));
    assertArrayEquals(wav, await(client.recordings().storedFile("r1")));
  }

  @Test
  void portAdapterRoutesByServerId() throws Exception {
    AriPort port = new AriPortAdapter(List.of(client));
    stub.answer("POST /ari/channels/externalMedia", Answer.json(200, CHANNEL));
    Map<String, String> vars =
        await(
            port.externalMedia(
                new AriPort.ExternalMediaRequest(
                    "ast1", "em1", "127.0.0.1:40000", "ulaw", "rtp", "udp", "both", "stream-1")));
    assertEquals("4000", vars.get("UNICASTRTP_LOCAL_PORT"));
    assertEquals("em1", last("POST", "/ari/channels/externalMedia").query().get("channelId"));
    AriCommandException e = failure(port.answer(new ChannelRef("elsewhere", "c1")));
    assertEquals(0, e.status());
    assertEquals("elsewhere", e.serverId());
  }
}
