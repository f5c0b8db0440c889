package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.router.RouterSettings;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.DoorKeeper;
import org.switchboard.engine.call.DrainPolicy;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.ServerEvent;

/**
 * The door at the event socket against the ARI simulator, with everything behind it jammed: the
 * engine acknowledges no event (the router is full and backpressures the socket) and the live
 * call's commands wait behind a command Asterisk never answers. A new call that comes while the
 * node sheds is still refused busy at once, on the refusal lane, and none of its events reach the
 * engine.
 */
class DoorAtTheSocketTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private ActorSystem system;
  private AriSimulator sim;
  private AriConnector connector;
  private final ActiveCalls active = new ActiveCalls();
  private final StalledEngine engine = new StalledEngine();

  /**
   * An engine that takes events and acknowledges none until {@link #release}: the event path
   * stays full.
   */
  static final class StalledEngine implements EventSink {
    final ConcurrentLinkedQueue<ChannelEvent> events = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ServerEvent> server = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Done> released = new CompletableFuture<>();

    @Override
    public CompletionStage<Done> deliver(ChannelEvent event) {
      events.add(event);
      return released.thenApply(d -> d);
    }

    void release() {
      released.complete(Done.getInstance());
    }

    @Override
    public void serverEvent(ServerEvent event) {
      server.add(event);
    }

    boolean saw(String channelId) {
      return events.stream().anyMatch(e -> e.channelId().orElse("").equals(channelId));
    }
  }

  @BeforeEach
  void start() {
    system = ActorSystem.create("door-test");
    sim = new AriSimulator();
    sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"));
  }

  @AfterEach
  void stop() throws Exception {
    engine.release();
    if (connector != null) {
      connector.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    sim.close();
    TestKit.shutdownActorSystem(system);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private boolean refusedBusy(String channelId) {
    return sim.log().requests().stream().anyMatch(r -> r.method().equals("DELETE")
        && r.path().equals("/ari/channels/" + channelId) && r.query() != null
        && r.query().contains("reason=busy") && r.status() == 204);
  }

  private boolean answerHeld() {
    return sim.log().requests().stream().anyMatch(r -> r.method().equals("POST")
        && r.path().endsWith("/answer") && r.status() == SimFault.NO_ANSWER);
  }

  @Test
  void aNewCallIsRefusedAtOnceWhileTheEventPathAndTheLiveCallsCommandsAreJammed()
      throws Exception {
    // One command connection, over HTTP: a command Asterisk does not answer holds it, and every
    // later command of the live calls queues behind it.
    AriServerConfig server =
        AriServerConfig.basic("sim", sim.baseUrl() + "/ari", "switchboard", "asterisk", "asterisk")
            .withRestTransport(RestTransport.HTTP).withMaxConnections(1)
            .withRequestTimeout(Duration.ofSeconds(60));
    connector = AriConnector.start(system, List.of(server), engine,
        RouterSettings.defaults().withBounds(1, 1));
    DoorKeeper door = DoorKeeper.start(active, connector.refusalPort(), Adapter.toTyped(system), 4);
    connector.door(door);
    await(() -> engine.server.stream().anyMatch(e -> e instanceof ServerEvent.Resynced),
        "the link is up");

    String live = sim.inboundCall("+15551110000", "+15550001000");
    await(() -> engine.saw(live), "the live call's StasisStart reached the engine");
    ChannelRef liveChannel = new ChannelRef("sim", live);
    sim.injectFault(SimFault.noAnswer("POST", "channels/*/answer", 1));
    List<CompletableFuture<Done>> backlog = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      backlog.add(connector.ariPort().answer(liveChannel).toCompletableFuture());
    }
    CompletableFuture<Done> liveHangup =
        connector.ariPort().hangup(liveChannel, HangupReason.NORMAL).toCompletableFuture();
    await(this::answerHeld, "the first answer is held by the simulator");

    active.shed(Optional.of(DrainPolicy.BUSY));
    List<String> refused = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      refused.add(sim.inboundCall("+1555111000" + i, "+15550001000"));
    }
    for (String id : refused) {
      await(() -> refusedBusy(id), "the new call " + id + " was hung up busy");
      await(() -> sim.channels().stream().noneMatch(c -> c.id().equals(id)),
          "the channel " + id + " is gone");
    }
    await(() -> active.hangupsPending() == 0, "every refusal confirmed");
    active.shed(Optional.empty());
    await(() -> door.refusalsOpen() == 0 && !door.watching(),
        "the door forgot the refused channels once their StasisEnd came");
    assertEquals(5, active.shedCount());
    for (String id : refused) {
      assertFalse(engine.saw(id), "no event of " + id + " reached the engine");
    }
    assertTrue(sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && refused.stream()
            .anyMatch(id -> r.path().endsWith("/" + id)))
        .allMatch(r -> SimLog.HTTP.equals(r.transport())), "refusals go over HTTP");
    assertFalse(liveHangup.isDone(), "the live call's own command still waits in its queue");
    assertTrue(backlog.stream().noneMatch(CompletableFuture::isDone));
  }
}
