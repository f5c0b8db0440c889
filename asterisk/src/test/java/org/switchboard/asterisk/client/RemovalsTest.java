package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimClock;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelRef;

/**
 * A playback stop or bridge destroy whose answer was lost is sent again until Asterisk answers
 * ({@link Removals}); a 404 on a resend means it is removed. Against the simulator over real
 * HTTP (its faults hold the first requests unanswered), and on scripted attempts.
 */
class RemovalsTest {
  private static final Duration PAUSE = Duration.ofMillis(20);
  private static ActorSystem system;
  private static AriSimulator sim;
  private static WebSocket socket;
  private static AriPortAdapter port;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("removals-test");
    sim = new AriSimulator();
    int simPort = sim.start(SimConfig.defaults().withApp("sb", "sb-in")
        .withClock(SimClock.manual(Instant.parse("2026-01-01T00:00:00Z"))));
    socket = SimAppSocket.open(simPort, "sb");
    port = new AriPortAdapter(List.of(new AriRestClient(system, AriServerConfig.basic(
        "ast1", "http://127.0.0.1:" + simPort + "/ari", "sb", "asterisk", "asterisk")
        // Long enough that only the faults' requests go unanswered on a loaded machine.
        .withRequestTimeout(Duration.ofSeconds(2)))), new Removals(failures -> PAUSE));
    warmUp();
  }

  /**
   * One call answered and hung up before the tests: the first requests of a cold JVM (the HTTP
   * client's pool, the classes it loads) can take longer than the 2 s timeout on a loaded machine,
   * which the tests would take for a lost answer.
   */
  private static void warmUp() {
    for (int attempt = 1; ; attempt++) {
      try {
        ChannelRef call = new ChannelRef("ast1", sim.inboundCall("+15551239999", "100"));
        await(port.answer(call));
        await(port.hangup(call, org.switchboard.engine.port.HangupReason.NORMAL));
        return;
      } catch (Exception notYet) {
        if (attempt == 3) {
          throw new AssertionError("the simulator did not answer a warm-up call", notYet);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    socket.abort();
    sim.close();
    TestKit.shutdownActorSystem(system);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long requests(String method, String path) {
    return sim.log().requests().stream()
        .filter(r -> r.method().equals(method) && r.path().endsWith(path)).count();
  }

  @Test
  void aPlaybackStopWithoutAnswerIsSentAgainAndStopsThePlayback() throws Exception {
    ChannelRef call = new ChannelRef("ast1", sim.inboundCall("+15551230001", "100"));
    await(port.answer(call));
    await(port.play(call, "pb-lost-stop", List.of("sound:tt-monkeys")));
    long unanswered = port.load().unanswered();
    sim.injectFault(SimFault.noAnswer("DELETE", "playbacks/pb-lost-stop", 1));

    await(port.stopPlayback("ast1", "pb-lost-stop"));

    assertEquals(2, requests("DELETE", "/playbacks/pb-lost-stop"));
    assertTrue(!sim.playbacks().contains("pb-lost-stop"), "still playing: " + sim.playbacks());
    assertEquals(unanswered + 1, port.load().unanswered());
    await(port.hangup(call, org.switchboard.engine.port.HangupReason.NORMAL));
  }

  @Test
  void aBridgeDestroyWithoutAnswerIsSentAgainUntilTheBridgeIsGone() throws Exception {
    await(port.createBridge("ast1", "br-lost-destroy", "mixing", "test"));
    long unanswered = port.load().unanswered();
    sim.injectFault(SimFault.noAnswer("DELETE", "bridges/br-lost-destroy", 2));

    await(port.destroyBridge("ast1", "br-lost-destroy"));

    assertEquals(3, requests("DELETE", "/bridges/br-lost-destroy"));
    assertTrue(sim.bridges().stream().noneMatch(b -> b.id().equals("br-lost-destroy")),
        "bridge left: " + sim.bridges());
    assertEquals(unanswered + 2, port.load().unanswered());
  }


  /** Attempts answered from a script: a failure, or success. */
  private static final class Attempts {
    final Deque<Throwable> script = new ArrayDeque<>();
    final AtomicInteger sent = new AtomicInteger();

    Attempts then(Throwable failure) {
      script.add(failure);
      return this;
    }

    CompletionStage<Done> next() {
      sent.incrementAndGet();
      Throwable failure = script.poll();
      return failure == null ? CompletableFuture.completedFuture(Done.getInstance())
          : CompletableFuture.failedFuture(failure);
    }
  }

  private static AriCommandException noAnswer() {
    return new AriCommandException("ast1", "DELETE /playbacks/{id}",
        new TimeoutException("no answer within 2000 ms"));
  }

  private static AriCommandException status(int status) {
    return new AriCommandException("ast1", "DELETE /playbacks/{id}", status, "status " + status);
  }

  @Test
  void aNotFoundOnAResendMeansRemovedAnErrorAnswerIsNotResent() throws Exception {
    Removals removals = new Removals(failures -> PAUSE);
    Attempts first = new Attempts().then(status(404));
    ExecutionException notFound = assertThrows(ExecutionException.class,
        () -> await(removals.send("stopPlayback", "pb", first::next)));
    assertTrue(assertInstanceOf(AriCommandException.class, notFound.getCause()).isNotFound(),
        "a first answer is the command's own, 404 included");
    assertEquals(1, first.sent.get());

    Attempts gone = new Attempts().then(noAnswer()).then(status(404));
    assertEquals(Done.getInstance(), await(removals.send("stopPlayback", "pb", gone::next)));
    assertEquals(2, gone.sent.get());

    Attempts refused = new Attempts().then(noAnswer()).then(status(500));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(removals.send("stopPlayback", "pb", refused::next)));
    assertEquals(500, assertInstanceOf(AriCommandException.class, e.getCause()).status());
    assertEquals(2, refused.sent.get());
  }

  @Test
  void resendsStopAfterTheirCap() {
    Removals removals = new Removals(failures -> Duration.ofMillis(1));
    Attempts silent = new Attempts();
    for (int i = 0; i <= Removals.MAX_RESENDS + 1; i++) {
      silent.then(noAnswer());
    }
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(removals.send("stopPlayback", "pb", silent::next)));
    assertTrue(assertInstanceOf(AriCommandException.class, e.getCause()).outcomeUnknown());
    assertEquals(Removals.MAX_RESENDS + 1, silent.sent.get());
  }
}
