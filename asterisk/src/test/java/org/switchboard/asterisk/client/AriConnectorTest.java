package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.AriStubServer.Answer;
import org.switchboard.asterisk.router.RouterSettings;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;

/** Event socket, reconnect with backoff and resync against a stub ARI on 127.0.0.1. */
class AriConnectorTest {
  private static final String TS = "\"timestamp\":\"2026-11-22T02:04:01.459+0000\"";

  private ActorSystem system;
  private AriStubServer stub;
  private AriConnector connector;
  private final Engine engine = new Engine();

  /** Records what the connector hands the engine. */
  static final class Engine implements EventSink {
    final LinkedBlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ServerEvent> server = new LinkedBlockingQueue<>();
    volatile String stalledChannel = "";

    @Override
    public CompletionStage<Done> deliver(ChannelEvent event) {
      events.add(event);
      if (event.channelId().orElse("").equals(stalledChannel)) {
        return new CompletableFuture<>();
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public void serverEvent(ServerEvent event) {
      server.add(event);
    }

    <T extends ServerEvent> T nextServer(Class<T> type) throws InterruptedException {
      ServerEvent event = server.poll(10, TimeUnit.SECONDS);
      assertNotNull(event, "a server event within the deadline");
      return assertInstanceOf(type, event);
    }

    ChannelEvent nextEvent() throws InterruptedException {
      ChannelEvent event = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(event, "a channel event within the deadline");
      return event;
    }
  }

  @BeforeEach
  void start() throws Exception {
    system = ActorSystem.create("connector-test");
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

  /** A bridge id in Switchboard's naming (the resync lists only bridges Switchboard created). */
  private static final String OWNED_BRIDGE = "CA0123456789abcdef0123456789abcdef-br-1";

  private static String channel(String id) {
    return "{\"id\":\"" + id + "\",\"name\":\"PJSIP/" + id + "\",\"state\":\"Up\",\"protocol_id\":\"\","
        + "\"caller\":{\"name\":\"Caller\",\"number\":\"+1555\"},\"connected\":{\"name\":\"\",\"number\":\"\"},"
        + "\"accountcode\":\"\",\"dialplan\":{\"context\":\"in\",\"exten\":\"100\",\"priority\":2,"
        + "\"app_name\":\"Stasis\",\"app_data\":\"app\"},\"creationtime\":\"2026-11-22T02:04:01.459+0000\","
        + "\"language\":\"en\"}";
  }

  private static String bridge(String id, String... channels) {
    return "{\"id\":\"" + id + "\",\"technology\":\"simple_bridge\",\"bridge_type\":\"mixing\","
        + "\"bridge_class\":\"stasis\",\"creator\":\"Stasis\",\"name\":\"call\",\"channels\":[\""
        + String.join("\",\"", channels) + "\"],\"creationtime\":\"2026-11-22T02:04:01.459+0000\"}";
  }

  private static String stasisStart(String id) {
    return "{\"type\":\"StasisStart\"," + TS + ",\"args\":[\"inbound\"],\"channel\":" + channel(id)
        + ",\"asterisk_id\":\"ast\",\"application\":\"app\"}";
  }

  private AriServerConfig config() {
    return AriServerConfig.basic("ast1", stub.baseUrl(), "app", "user", "pw")
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2);
  }

  @Test
  void connectsResyncsRoutesAndReconnectsAfterTheServerDropsTheSocket() throws Exception {
    stub.answer("GET /ari/channels", Answer.json(200, "[" + channel("c1") + "]"));
    stub.answer("GET /ari/bridges", Answer.json(200, "[" + bridge(OWNED_BRIDGE, "c1") + "]"));
    connector = AriConnector.start(system, List.of(config()), engine);

    BoundedSourceQueue<Message> socket = stub.nextSocket();
    AriStubServer.Seen upgrade = stub.upgrades.poll(10, TimeUnit.SECONDS);
    assertEquals("app", upgrade.query().get("app"));
    assertEquals("false", upgrade.query().get("subscribeAll"));
    assertEquals(
        Optional.of("Basic " + Base64.getEncoder().encodeToString("user:pw".getBytes(StandardCharsets.UTF_8))),
        upgrade.auth());

    engine.nextServer(ServerEvent.Connected.class);
    ServerEvent.Resynced first = engine.nextServer(ServerEvent.Resynced.class);
    assertEquals(List.of("c1"), first.channels().stream().map(ChannelEvent.ChannelInfo::id).toList());
    assertEquals("+1555", first.channels().get(0).caller().number());
    assertEquals(OWNED_BRIDGE, first.bridges().get(0).id());
    assertEquals(List.of("c1"), first.bridges().get(0).channels());

    AriStubServer.push(socket, "{this is not json");
    AriStubServer.push(socket, "{\"type\":\"ChannelHold\"," + TS + ",\"application\":\"app\"}");
    AriStubServer.push(socket, stasisStart("c2"));
    ChannelEvent.StasisEntered entered =
        assertInstanceOf(ChannelEvent.StasisEntered.class, engine.nextEvent());
    assertEquals("c2", entered.channel().id());
    assertEquals("ast1", entered.serverId());
    assertEquals(1, connector.links().get("ast1").decodeErrors());
    assertEquals(1, connector.routerStats().ignored("unknown:ChannelHold"));
    assertTrue(connector.links().get("ast1").connected());

    // Calls c1 and c2 are live while the server drops the socket.
    stub.answer("GET /ari/channels", Answer.json(200, "[" + channel("c1") + "," + channel("c2") + "]"));
    stub.answer("GET /ari/bridges", Answer.json(200, "[" + bridge(OWNED_BRIDGE, "c1", "c2") + "]"));
    socket.complete();

    ServerEvent.Disconnected gone = engine.nextServer(ServerEvent.Disconnected.class);
    assertEquals("ast1", gone.serverId());
    BoundedSourceQueue<Message> second = stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    ServerEvent.Resynced again = engine.nextServer(ServerEvent.Resynced.class);
    assertEquals(List.of("c1", "c2"), again.channels().stream().map(ChannelEvent.ChannelInfo::id).toList());
    assertEquals(List.of("c1", "c2"), again.bridges().get(0).channels());

    LinkStatus link = connector.links().get("ast1");
    assertTrue(link.connected());
    assertEquals(2, link.connects());
    assertTrue(link.reconnectAttempts() >= 1);

    AriStubServer.push(
        second,
        "{\"type\":\"ChannelDtmfReceived\"," + TS + ",\"digit\":\"5\",\"duration_ms\":90,\"channel\":"
            + channel("c2") + ",\"application\":\"app\"}");
    ChannelEvent.DtmfReceived dtmf = assertInstanceOf(ChannelEvent.DtmfReceived.class, engine.nextEvent());
    assertEquals("5", dtmf.digit());

    AriStubServer.push(second, "{\"type\":\"ApplicationReplaced\"," + TS + ",\"application\":\"app\"}");
    assertEquals("ast1", engine.nextServer(ServerEvent.Replaced.class).serverId());
  }

  @Test
  void aSocketReplacedByAnotherConnectionReadsDisconnectedAndReconnects() throws Exception {
    stub.answer("GET /ari/channels", Answer.json(200, "[]"));
    stub.answer("GET /ari/bridges", Answer.json(200, "[]"));
    connector = AriConnector.start(system, List.of(config()), engine);
    BoundedSourceQueue<Message> first = stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    assertTrue(connector.links().get("ast1").connected());

    AriStubServer.push(first, "{\"type\":\"ApplicationReplaced\"," + TS + ",\"application\":\"app\"}");
    engine.nextServer(ServerEvent.Replaced.class);
    ServerEvent.Disconnected gone = engine.nextServer(ServerEvent.Disconnected.class);
    assertTrue(gone.reason().contains("replaced"), gone.reason());
    // The next socket: the link takes the application back and resyncs.
    stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    assertEquals(2, connector.links().get("ast1").connects());
  }

  @Test
  void anOpenedConnectorHoldsASocketOnlyBetweenConnectAndRelease() throws Exception {
    stub.answer("GET /ari/channels", Answer.json(200, "[" + channel("c1") + "]"));
    stub.answer("GET /ari/bridges", Answer.json(200, "[]"));
    connector = AriConnector.open(system, List.of(config()), engine, RouterSettings.defaults());
    assertTrue(!connector.holds("ast1"));
    assertTrue(!connector.links().get("ast1").connected());

    connector.connect("ast1");
    stub.nextSocket();
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);
    assertTrue(connector.holds("ast1"));
    assertTrue(connector.links().get("ast1").connected());

    // A reconcile without reconnecting: the same snapshot again, no new socket.
    connector.resync("ast1").toCompletableFuture().get(10, TimeUnit.SECONDS);
    ServerEvent.Resynced again = engine.nextServer(ServerEvent.Resynced.class);
    assertEquals(List.of("c1"), again.channels().stream().map(ChannelEvent.ChannelInfo::id).toList());
    assertEquals(1, connector.links().get("ast1").connects());

    connector.release("ast1", "handed over").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(!connector.holds("ast1"));
    LinkStatus released = connector.links().get("ast1");
    assertTrue(!released.connected(), released.toString());
    assertEquals(Optional.of("handed over"), released.lastError());
  }

  @Test
  void refusedCredentialsAreRetriedWithBackoffAndReported() throws Exception {
    stub.answer("GET /ari/channels", Answer.json(401, "{\"message\":\"Authentication required\"}"));
    connector = AriConnector.start(system, List.of(config()), engine, RouterSettings.defaults());
    new TestKit(system)
        .awaitCond(
            Duration.ofSeconds(10), () -> connector.links().get("ast1").reconnectAttempts() >= 2);
    LinkStatus link = connector.links().get("ast1");
    assertTrue(!link.connected());
    assertTrue(link.lastError().orElse("").contains("Authentication required"), link.toString());
    assertEquals(0, link.connects());
    assertTrue(engine.server.isEmpty(), "no Connected before a resync succeeded: " + engine.server);
  }

  @Test
  void aStalledCallOnOneServerDoesNotHoldBackAnotherServer() throws Exception {
    engine.stalledChannel = "stuck";
    try (AriStubServer other = new AriStubServer(system)) {
      AriServerConfig second =
          AriServerConfig.basic("ast2", other.baseUrl(), "app", "user", "pw")
              .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2);
      connector =
          AriConnector.start(
              system, List.of(config(), second), engine, RouterSettings.defaults().withBounds(2, 100));
      BoundedSourceQueue<Message> first = stub.nextSocket();
      BoundedSourceQueue<Message> next = other.nextSocket();
      for (int i = 0; i < 20; i++) {
        AriStubServer.push(first, stasisStart("stuck"));
      }
      assertEquals("stuck", ((ChannelEvent.StasisEntered) engine.nextEvent()).channel().id());
      AriStubServer.push(next, stasisStart("free"));
      ChannelEvent free = engine.nextEvent();
      assertEquals("ast2", free.serverId());
      assertEquals("free", free.channelId().orElseThrow());
      assertTrue(engine.events.isEmpty(), "the stuck call got only its first event: " + engine.events);
      assertEquals(List.of("ast1", "ast2"), List.copyOf(connector.links().keySet()));
      connector.shutdown();
      connector = null;
    }
  }
}
