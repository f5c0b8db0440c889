package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ServerEvent;

/**
 * The reconnect path against the ARI simulator: live calls in Stasis and a bridge, the simulator
 * drops the event socket, the client reconnects with backoff and the resync snapshot lists the
 * live channels and the bridge; events then flow on the new socket.
 */
class SimulatorReconnectTest {
  private ActorSystem system;
  private AriSimulator sim;
  private AriConnector connector;
  private final AriConnectorTest.Engine engine = new AriConnectorTest.Engine();

  @BeforeEach
  void start() {
    system = ActorSystem.create("reconnect-test");
    sim = new AriSimulator();
    sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"));
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    sim.close();
    TestKit.shutdownActorSystem(system);
  }

  @Test
  void droppedSocketReconnectsAndTheSnapshotListsLiveChannelsAndBridges() throws Exception {
    AriServerConfig server =
        AriServerConfig.basic("sim", sim.baseUrl() + "/ari", "switchboard", "asterisk", "asterisk")
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 0.2);
    connector = AriConnector.start(system, List.of(server), engine);
    engine.nextServer(ServerEvent.Connected.class);
    assertTrue(engine.nextServer(ServerEvent.Resynced.class).channels().isEmpty());

    String first = sim.inboundCall("+15551110001", "+15550001000");
    String second = sim.inboundCall("+15551110002", "+15550001000");
    awaitStasis(first);
    awaitStasis(second);
    AriRestClient rest = connector.client("sim");
    String owned =
        org.switchboard.engine.port.CallSid.forChannel(new org.switchboard.engine.port.ChannelRef("sim", first))
            + "-br-1";
    rest.bridges().create(owned, "mixing", "test").toCompletableFuture().get(10, TimeUnit.SECONDS);
    rest.bridges().addChannels(owned, List.of(first, second)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    rest.bridges().create("another-apps-bridge", "mixing", "other").toCompletableFuture().get(10, TimeUnit.SECONDS);

    sim.dropSockets();
    engine.nextServer(ServerEvent.Disconnected.class);
    engine.nextServer(ServerEvent.Connected.class);
    ServerEvent.Resynced resync = engine.nextServer(ServerEvent.Resynced.class);
    List<String> channels = resync.channels().stream().map(ChannelEvent.ChannelInfo::id).toList();
    assertTrue(channels.containsAll(List.of(first, second)), "live channels in the snapshot: " + channels);
    assertTrue(
        channels.stream().noneMatch(id -> id.startsWith("sim-phone-")),
        "the callers' own Local halves are not Switchboard's and stay out of the snapshot: " + channels);
    ServerEvent.BridgeInfo bridge =
        resync.bridges().stream().filter(b -> b.id().equals(owned)).findFirst().orElseThrow();
    assertTrue(bridge.channels().containsAll(List.of(first, second)), bridge.toString());
    assertTrue(
        resync.bridges().stream().noneMatch(b -> b.id().equals("another-apps-bridge")),
        "a bridge Switchboard did not create is left alone");
    assertTrue(connector.links().get("sim").connects() >= 2);

    sim.callerHangup(first);
    ChannelEvent after;
    do {
      after = engine.nextEvent();
    } while (!(after.channelId().orElse("").equals(first)
        && (after instanceof ChannelEvent.StasisLeft || after instanceof ChannelEvent.ChannelDestroyed)));
    assertEquals(first, after.channelId().orElseThrow(), "events flow on the new socket");
  }

  @Test
  void backToBackDropsReconnectAfterTheMinimumBackoffEachTime() throws Exception {
    // Pekko's RestartSource kept doubling here (300, 600, 1200, 2400, 4800 ms): each connection
    // lived less than the minimum backoff before the next drop.
    Duration min = Duration.ofMillis(300);
    AriServerConfig server =
        AriServerConfig.basic("sim", sim.baseUrl() + "/ari", "switchboard", "asterisk", "asterisk")
            .withBackoff(min, Duration.ofSeconds(30), 0);
    connector = AriConnector.start(system, List.of(server), engine);
    engine.nextServer(ServerEvent.Connected.class);
    engine.nextServer(ServerEvent.Resynced.class);

    int drops = 5;
    for (int i = 0; i < drops; i++) {
      sim.dropSockets();
      ServerEvent.Disconnected gone = engine.nextServer(ServerEvent.Disconnected.class);
      ServerEvent.Connected back = engine.nextServer(ServerEvent.Connected.class);
      engine.nextServer(ServerEvent.Resynced.class);
      Duration down = Duration.between(gone.at(), back.at());
      assertTrue(down.compareTo(min) >= 0, "waited the minimum backoff: " + down);
      assertTrue(down.compareTo(min.multipliedBy(6)) < 0,
          "drop " + (i + 1) + " reconnected after about the minimum backoff, not a doubled one: "
              + down);
    }
    assertEquals(drops, connector.links().get("sim").reconnectAttempts(),
        "one attempt per drop");
  }

  private void awaitStasis(String channel) throws InterruptedException {
    ChannelEvent event;
    do {
      event = engine.nextEvent();
    } while (!(event instanceof ChannelEvent.StasisEntered s && s.channel().id().equals(channel)));
  }
}
