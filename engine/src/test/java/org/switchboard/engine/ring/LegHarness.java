package org.switchboard.engine.ring;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * Test wiring: a fake "sharding" that creates a call entity per CallSid which becomes a {@link
 * LegActor} on StartLeg, a recording ARI port and webhook port, and ManualTime.
 */
final class LegHarness implements AutoCloseable {
  static final String SERVER = "ast1";
  static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  final ManualTime time = ManualTime.get(kit.system());
  final FakeAriPort ari = FakeAriPort.autoComplete();
  final RecordingWebhooks webhooks = new RecordingWebhooks();
  final LegSettings settings =
      LegSettings.defaults("AC00000000000000000000000000000000", Clock.fixed(T0, ZoneOffset.UTC));
  final Map<String, ActorRef<CallCommand>> entities = new ConcurrentHashMap<>();
  /** CallSids whose entity stopped ({@link #entityGone}): the next one gets another name. */
  private final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();
  final TestProbe<Done> acks = kit.createTestProbe();
  /** What a fresh entity (one whose leg never started here) was told to take back. */
  final TestProbe<CallCommand.ResumeLeg> resumed = kit.createTestProbe();
  AnsweredLegRunner runner = AnsweredLegRunner.SKIP;

  /** The call entity of {@code callSid}, created on first use. */
  RecipientRef<CallCommand> entity(String callSid) {
    return entities.computeIfAbsent(callSid, sid -> kit.spawn(unclaimed(sid),
        "call-" + sid + (gone.contains(sid) ? "-again" : "")));
  }

  private Behavior<CallCommand> unclaimed(String callSid) {
    return Behaviors.receive(CallCommand.class)
        .onMessage(
            CallCommand.StartLeg.class,
            start -> LegActor.create(callSid, start, ari, webhooks, settings, runner))
        .onMessage(CallCommand.ResumeLeg.class, resume -> {
          resumed.ref().tell(resume);
          return Behaviors.same();
        })
        .build();
  }

  static String sidOf(String channelId) {
    return CallSid.forChannel(new ChannelRef(SERVER, channelId));
  }

  static LegSpec spec(String channelId, int timeout, Optional<LegSpec.StatusCallback> callback) {
    return new LegSpec(
        SERVER,
        channelId,
        "PJSIP/" + channelId + "@trunk",
        "+1555" + channelId,
        "+15550001111",
        timeout,
        Optional.of("CAparent"),
        Optional.empty(),
        callback,
        Map.of());
  }

  /** The entity of {@code channelId}'s leg stops, as with a node that died; the next is fresh. */
  void entityGone(String channelId) {
    gone.add(sidOf(channelId));
    kit.stop(entities.remove(sidOf(channelId)));
  }

  /** Delivers an event to the entity owning its channel. */
  void deliver(ChannelEvent event) {
    entity(sidOf(event.channelId().orElseThrow()))
        .tell(new CallCommand.Deliver(event, acks.ref()));
  }

  void dial(String channelId, String status) {
    deliver(new ChannelEvent.DialProgress(SERVER, T0, channelId, status));
  }

  void answer(String channelId, Instant at) {
    deliver(new ChannelEvent.DialProgress(SERVER, at, channelId, "ANSWER"));
    deliver(
        new ChannelEvent.StasisEntered(
            SERVER,
            at,
            new ChannelEvent.ChannelInfo(
                channelId, "PJSIP/x", "Up", null, null, "ctx", "s", null, "en", at),
            java.util.List.of("dial-leg"),
            Optional.empty()));
  }

  void destroyed(String channelId, int cause, Instant at) {
    deliver(new ChannelEvent.ChannelDestroyed(SERVER, at, channelId, cause, "cause " + cause));
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
