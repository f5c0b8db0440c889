package org.switchboard.asterisk.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;

/** Order per channel, parallelism across channels, bounds and backpressure of the router. */
class EventRouterBackpressureTest {
  private static final int PER_KEY = 4;
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("router-test");
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  /** Completes deliveries at once, except those matching {@code stalled}, which it holds. */
  static class RecordingSink implements EventSink {
    final LinkedBlockingQueue<ChannelEvent> delivered = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Map.Entry<ChannelEvent, CompletableFuture<Done>>> held =
        new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ServerEvent> serverEvents = new LinkedBlockingQueue<>();
    private final Predicate<ChannelEvent> stalled;

    RecordingSink(Predicate<ChannelEvent> stalled) {
      this.stalled = stalled;
    }

    @Override
    public CompletionStage<Done> deliver(ChannelEvent event) {
      if (stalled.test(event)) {
        CompletableFuture<Done> future = new CompletableFuture<>();
        held.add(Map.entry(event, future));
        return future;
      }
      delivered.add(event);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public void serverEvent(ServerEvent event) {
      serverEvents.add(event);
    }

    ChannelEvent next() throws InterruptedException {
      ChannelEvent event = delivered.poll(5, TimeUnit.SECONDS);
      assertNotNull(event, "a delivery within the deadline");
      return event;
    }

    Map.Entry<ChannelEvent, CompletableFuture<Done>> nextHeld() throws InterruptedException {
      var entry = held.poll(5, TimeUnit.SECONDS);
      assertNotNull(entry, "a held delivery within the deadline");
      return entry;
    }
  }

  private static int seq(ChannelEvent event) {
    return ((ChannelEvent.DtmfReceived) event).durationMs();
  }

  private static UpstreamProbe<RouterInput> run(
      EventRouter router, CompletableFuture<CompletionStage<Done>> completion) {
    UpstreamProbe<RouterInput> upstream = new UpstreamProbe<>(system);
    completion.complete(
        upstream
            .source()
            .toMat(router.sink(), Keep.right())
            .withAttributes(Attributes.inputBuffer(1, 1))
            .run(system));
    return upstream;
  }

  @Test
  void stalledCallBackpressuresOnlyOnceItsBufferIsFullAndLosesNothing() throws Exception {
    RecordingSink sink = new RecordingSink(e -> e.channelId().orElse("").equals("stalled"));
    EventRouter router = new EventRouter(sink, RouterSettings.defaults().withBounds(PER_KEY, 100));
    CompletableFuture<CompletionStage<Done>> completion = new CompletableFuture<>();
    UpstreamProbe<RouterInput> source = run(router, completion);

    int stalledSent = 0;
    for (int i = 0; i < PER_KEY; i++) {
      source.send(Fixtures.dtmf("s1", "stalled", stalledSent++));
      source.send(Fixtures.dtmf("s1", "b", i));
      source.send(Fixtures.dtmf("s1", "c", i));
    }
    List<Integer> b = new ArrayList<>();
    List<Integer> c = new ArrayList<>();
    for (int i = 0; i < 2 * PER_KEY; i++) {
      ChannelEvent event = sink.next();
      (event.channelId().orElseThrow().equals("b") ? b : c).add(seq(event));
    }
    assertEquals(List.of(0, 1, 2, 3), b, "call b in order while the stalled call waits");
    assertEquals(List.of(0, 1, 2, 3), c, "call c in order while the stalled call waits");
    var first = sink.nextHeld();
    assertEquals(0, seq(first.getKey()), "only the stalled call's first event is out");

    // The stalled call's buffer is full: one more event is parked, and at most the one the
    // stream's input boundary buffers gets past it. Then upstream sees no more demand.
    int base = stalledSent;
    stalledSent += source.sendWhileDemanded(n -> Fixtures.dtmf("s1", "stalled", base + n), 50, 300);
    assertTrue(stalledSent >= PER_KEY + 1, "the stalled call's buffer filled: " + stalledSent);
    assertTrue(stalledSent <= PER_KEY + 2, "accepted " + stalledSent + " before backpressure");
    assertEquals(0, source.demand(), "upstream is backpressured");

    var current = first;
    for (int expected = 1; expected < stalledSent; expected++) {
      current.getValue().complete(Done.getInstance());
      current = sink.nextHeld();
      assertEquals(expected, seq(current.getKey()), "stalled call's events stay in order");
    }
    current.getValue().complete(Done.getInstance());

    source.send(Fixtures.dtmf("s1", "b", 4));
    assertEquals(4, seq(sink.next()), "demand resumed after the stalled call drained");
    source.complete();
    completion.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(2 * PER_KEY + 1 + stalledSent, router.stats().delivered(), "nothing lost");
  }

  @Test
  void globalBoundBackpressuresWhenManyCallsStall() throws Exception {
    RecordingSink sink = new RecordingSink(e -> true);
    EventRouter router = new EventRouter(sink, RouterSettings.defaults().withBounds(PER_KEY, 3));
    CompletableFuture<CompletionStage<Done>> completion = new CompletableFuture<>();
    UpstreamProbe<RouterInput> source = run(router, completion);

    int sent = source.sendWhileDemanded(n -> Fixtures.dtmf("s1", "call-" + n, n), 50, 300);
    assertTrue(sent >= 3 && sent <= 4, "accepted " + sent + " with a global bound of 3");
    assertEquals(0, source.demand(), "upstream is backpressured");
    List<Map.Entry<ChannelEvent, CompletableFuture<Done>>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(sink.nextHeld());
    }
    held.get(1).getValue().complete(Done.getInstance());
    source.send(Fixtures.dtmf("s1", "late", 99));
    held.forEach(h -> h.getValue().complete(Done.getInstance()));
    for (int i = 3; i <= sent; i++) {
      sink.nextHeld().getValue().complete(Done.getInstance());
    }
    source.complete();
    completion.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(sent + 1, router.stats().delivered());
  }

  @Test
  void aRefusedDeliveryIsCountedAndTheCallMovesOn() throws Exception {
    EventSink failing =
        new RecordingSink(e -> false) {
          @Override
          public CompletionStage<Done> deliver(ChannelEvent event) {
            if (seq(event) == 0) {
              return CompletableFuture.failedFuture(new IllegalStateException("no actor"));
            }
            return super.deliver(event);
          }
        };
    EventRouter router = new EventRouter(failing, RouterSettings.defaults());
    CompletableFuture<CompletionStage<Done>> completion = new CompletableFuture<>();
    UpstreamProbe<RouterInput> source = run(router, completion);
    source.send(Fixtures.dtmf("s1", "a", 0));
    source.send(Fixtures.dtmf("s1", "a", 1));
    assertEquals(1, seq(((RecordingSink) failing).next()));
    source.complete();
    completion.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(1, router.stats().deliveryFailures());
    assertEquals(1, router.stats().delivered());
  }
}
