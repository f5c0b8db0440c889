package org.switchboard.engine.hotline;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.switchboard.engine.call.CallEntity;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.protocol.LegSpec;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.engine.call.CallServices;
import org.switchboard.engine.call.Calls;
import org.switchboard.engine.call.LegBehaviorFactory;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.ring.LegActor;
import org.switchboard.engine.ring.LegObserver;
import org.switchboard.engine.ring.LegSettings;

/**
 * The production {@link LegBehaviorFactory}: a call entity told {@link CallCommand.StartLeg}
 * becomes a {@link LegActor} whose answered TwiML ({@link LegSpec#onAnswer()}: a whisper, a
 * {@code /ring} answer URL, a REST call's Url or Twiml) runs in the leg's entity on the call's
 * script runner ({@link Calls#legTwiml}; HOTLINE.md "How the call actor plugs them in", step 1). The leg is listed among the node's active calls
 * while it lives (and among its ringing legs until it answers) and its final snapshot goes to
 * the call history.
 */
public final class HotlineLegs implements LegBehaviorFactory {
  private final LegSettings settings;
  /** The rings this node took back after a restart ({@code ApiRing.key}: each once). */
  private final Set<String> ringsTakenBack = ConcurrentHashMap.newKeySet();

  public HotlineLegs(LegSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Behavior<CallCommand> leg(
      String callSid, CallCommand.StartLeg start, CallServices services, EntityEnd end) {
    return Behaviors.setup(
        ctx -> {
          services.activeCalls().registerRingingLeg(callSid, ctx.getSelf());
          return LegActor.create(
              callSid, start, services.ari(), services.webhooks(), settings,
              Calls.legTwiml(services), observer(callSid, services), end);
        });
  }

  /** A leg taken back by its dial after a restart, listed and recorded as {@link #leg} is. */
  @Override
  public Behavior<CallCommand> resumeLeg(
      String callSid, CallCommand.ResumeLeg resume, CallServices services, EntityEnd end) {
    return Behaviors.setup(
        ctx -> {
          services.activeCalls().registerRingingLeg(callSid, ctx.getSelf());
          return LegActor.resume(
              callSid, resume, services.ari(), services.webhooks(), settings,
              Calls.legTwiml(services), observer(callSid, services), end);
        });
  }

  /**
   * A {@code /ring} leg the store knows, found after a restart: its ring ({@link ApiRing#resume})
   * is taken back once on this node, from the first of its legs found; the leg names its ring
   * ({@link ApiRing#ringOf}), so each of two rings of one caller is taken back.
   */
  @Override
  public void ringLegFound(ActorSystem<?> system, LegSpec leg) {
    String parent = leg.parentCallSid().orElseThrow();
    Optional<String> ring = ApiRing.ringOf(leg);
    if (!ringsTakenBack.add(ApiRing.key(parent, ring))) {
      return;
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    system.systemActorOf(
        ApiRing.resume(parent, ring, settings.drainTimeout(),
            sid -> sharding.entityRefFor(CallEntity.TYPE_KEY, sid), settings.clock()),
        "ring-resumed-" + Sids.random("rg"), Props.empty());
  }

  private static LegObserver observer(String callSid, CallServices services) {
    return new LegObserver() {
      @Override
      public void answered() {
        services.activeCalls().legAnswered(callSid);
      }

      @Override
      public void ended(CallSnapshot snapshot) {
        services.activeCalls().unregister(callSid);
        services.history().record(snapshot);
      }
    };
  }
}
