package org.switchboard.http.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.AriPortAdapter;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimClock;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;

/**
 * An answered inbound call on the ARI simulator (manual clock), reached through the real ARI
 * client, with a stand-in call actor that runs delegates in its own context and passes every
 * other {@link CallCommand} it gets (e.g. {@code StreamClosed}) to {@link #callProbe}.
 */
final class StreamCallFixture implements AutoCloseable {

  static final String SERVER = "sim";

  /** Runs a delegate inside the stand-in call actor. */
  record Run(Function<CallDelegates.Context, Delegation> start,
      CompletableFuture<Delegation> result) implements CallCommand.Internal {}

  final AriSimulator sim = new AriSimulator();
  final LinkedBlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<WebhookPort.WebhookRequest> callbacks = new LinkedBlockingQueue<>();
  final AriConnector connector;
  final AriPortAdapter ari;
  final String callerId;
  final String callSid;
  final ChannelRef caller;
  final TestProbe<CallCommand> callProbe;
  final ActorRef<CallCommand> call;

  StreamCallFixture(ActorTestKit kit) throws Exception {
    sim.start(SimConfig.defaults().withClock(SimClock.manual(Instant.parse("2026-01-01T00:00:00Z"))));
    EventSink sink = new EventSink() {
      @Override
      public CompletionStage<Done> deliver(ChannelEvent event) {
        events.add(event);
        return CompletableFuture.completedFuture(Done.getInstance());
      }

      @Override
      public void serverEvent(ServerEvent event) {}
    };
    connector = AriConnector.start(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(kit.system()), List.of(AriServerConfig.basic(SERVER,
        sim.baseUrl() + "/ari", "switchboard", "asterisk", "asterisk")), sink);
    ari = (AriPortAdapter) connector.ariPort();
    await(() -> sim.applications().contains("switchboard"), "the Stasis app is registered");
    callerId = sim.inboundCall("+15550001111", "100");
    awaitEvent(e -> e instanceof ChannelEvent.StasisEntered s && s.channel().id().equals(callerId));
    caller = new ChannelRef(SERVER, callerId);
    callSid = CallSid.forChannel(caller);
    ari.answer(caller).toCompletableFuture().get(10, TimeUnit.SECONDS);
    callProbe = kit.createTestProbe(CallCommand.class);
    call = kit.spawn(standIn(callSid, caller, callProbe.getRef()));
  }

  /** Webhooks that record status callbacks; the delegates never fetch. */
  WebhookPort webhooks() {
    return new WebhookPort() {
      @Override
      public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
        return CompletableFuture.failedFuture(new IllegalStateException("no fetch expected"));
      }

      @Override
      public void notify(WebhookRequest request) {
        callbacks.add(request);
      }
    };
  }

  /** Starts a delegate as the call actor would, and returns its delegation. */
  Delegation run(Function<CallDelegates.Context, Delegation> start) throws Exception {
    CompletableFuture<Delegation> result = new CompletableFuture<>();
    call.tell(new Run(start, result));
    return result.get(10, TimeUnit.SECONDS);
  }

  /** Advances the simulator's clock. */
  void advance(long ms) {
    sim.clock().advance(Duration.ofMillis(ms));
  }

  /** The next event matching {@code match} within 10 s (others are skipped). */
  ChannelEvent awaitEvent(Predicate<ChannelEvent> match) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ChannelEvent e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && match.test(e)) {
        return e;
      }
    }
    throw new AssertionError("no matching ARI event within 10 s");
  }

  boolean hasChannel(String id) {
    return sim.channels().stream().anyMatch(c -> c.id().equals(id));
  }

  boolean hasBridge(String id) {
    return sim.bridges().stream().anyMatch(b -> b.id().equals(id));
  }

  /** The members of bridge {@code id}, or an empty list. */
  List<String> bridgeMembers(String id) {
    return sim.bridges().stream().filter(b -> b.id().equals(id)).findFirst()
        .map(AriSimulator.BridgeView::channels).orElse(List.of());
  }

  /** The next status callback within 10 s. */
  Map<String, String> nextCallback() throws InterruptedException {
    WebhookPort.WebhookRequest r = callbacks.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no status callback within 10 s");
    }
    Map<String, String> params = new java.util.LinkedHashMap<>();
    r.params().forEach(e -> params.put(e.getKey(), e.getValue()));
    params.put("#url", r.url().toString());
    return params;
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static Behavior<CallCommand> standIn(String callSid, ChannelRef channel,
      ActorRef<CallCommand> probe) {
    List<Map.Entry<String, String>> params = List.of(Map.entry("AccountSid", "AC0123"),
        Map.entry("CallSid", callSid), Map.entry("CallStatus", "in-progress"));
    return Behaviors.setup(ctx -> Behaviors.receive(CallCommand.class)
        .onMessage(Run.class, r -> {
          r.result().complete(r.start().apply(
              new CallDelegates.Context(callSid, channel, ctx.getSelf(), ctx, params)));
          return Behaviors.same();
        })
        .onMessage(CallCommand.class, m -> {
          probe.tell(m);
          return Behaviors.same();
        })
        .build());
  }

  @Override
  public void close() {
    connector.shutdown();
    sim.close();
  }
}
