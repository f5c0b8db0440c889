package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimClock;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;

/** The AriPort queries a call uses after a reconnect, against the simulator over real HTTP. */
class AriPortQueriesTest {
  @TempDir Path recordings;
  private ActorSystem system;
  private AriSimulator sim;
  private WebSocket socket;
  private AriPortAdapter port;

  @BeforeEach
  void start() {
    system = ActorSystem.create("port-queries-test");
    sim = new AriSimulator();
    int simPort = sim.start(SimConfig.defaults().withApp("sb", "sb-in")
        .withClock(SimClock.manual(Instant.parse("2026-01-01T00:00:00Z")))
        .withRecordingsDir(recordings));
    socket = SimAppSocket.open(simPort, "sb");
    port = new AriPortAdapter(List.of(new AriRestClient(system, AriServerConfig.basic(
        "ast1", "http://127.0.0.1:" + simPort + "/ari", "sb", "asterisk", "asterisk"))));
  }

  @AfterEach
  void stop() {
    socket.abort();
    sim.close();
    TestKit.shutdownActorSystem(system);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void advance(long ms) {
    sim.clock().advance(Duration.ofMillis(ms));
  }

  @Test
  void channelPlaybackRecordingAndBridgeAreFoundAndTheirEndIsSeen() throws Exception {
    String call = sim.inboundCall("+15551230001", "100");
    ChannelRef ref = new ChannelRef("ast1", call);
    assertEquals(call, await(port.channel(ref)).orElseThrow().id());
    assertEquals(Optional.empty(), await(port.channel(new ChannelRef("ast1", "no-such"))));
    await(port.answer(ref));

    await(port.play(ref, "pb1", List.of("sound:beep")));
    assertTrue(await(port.playbackExists("ast1", "pb1")));
    advance(1000);
    assertFalse(await(port.playbackExists("ast1", "pb1")), "beep lasts 0.42 s");

    await(port.record(ref, new AriPort.RecordRequest("rec1", "wav", 2, 0, false, "none",
        "fail")));
    sim.speak(call, Duration.ofSeconds(5));
    assertTrue(await(port.liveRecordingExists("ast1", "rec1")));
    advance(2500);
    assertFalse(await(port.liveRecordingExists("ast1", "rec1")));
    AriPort.StoredRecording stored = await(port.storedRecording("ast1", "rec1")).orElseThrow();
    assertEquals(new AriPort.StoredRecording("rec1", "wav", 2), stored);
    assertEquals(Optional.empty(), await(port.storedRecording("ast1", "no-such")));

    await(port.createBridge("ast1", "br1", "mixing", "test"));
    await(port.addToBridge("ast1", "br1", List.of(call)));
    assertEquals(Optional.of(List.of(call)), await(port.bridgeChannels("ast1", "br1")));
    await(port.destroyBridge("ast1", "br1"));
    assertEquals(Optional.empty(), await(port.bridgeChannels("ast1", "br1")));

    await(port.hangup(ref, org.switchboard.engine.port.HangupReason.NORMAL));
    assertEquals(Optional.empty(), await(port.channel(ref)));
  }
}
