package org.switchboard.engine.call;

import org.switchboard.engine.protocol.LegSpec;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.NodeHandOver;

/**
 * The engine's call system on one node: initializes Cluster Sharding of {@link CallEntity} with
 * every collaborator and gives the way in (the {@link EventSink}), per-call references and the
 * local registry of active calls. With {@code switchboard.cluster.self-join = on} and no seed
 * nodes configured, the node forms a single-node cluster by joining itself.
 */
public final class Calls {
  private final ClusterSharding sharding;
  private final EventSink sink;
  private final ActiveCalls active;
  private final ActorSystem<?> system;

  private Calls(ActorSystem<?> system, ClusterSharding sharding, EventSink sink,
      ActiveCalls active) {
    this.system = system;
    this.sharding = sharding;
    this.sink = sink;
    this.active = active;
  }

  /** Starts the call system; {@code services.activeCalls()} becomes its registry. */
  public static Calls start(ActorSystem<?> system, CallServices services, LegBehaviorFactory legs) {
    var config = system.settings().config();
    if (config.getBoolean("switchboard.cluster.self-join")
        && config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
            CallEntity.TYPE_KEY,
            entity ->
                CallEntity.create(
                    entity.getEntityId(), services, legs, Optional.of(entity.getShard()))));
    Duration askTimeout = config.getDuration("switchboard.call.deliver-timeout");
    return new Calls(system, sharding, new ShardedEventSink(sharding, askTimeout, services.activeCalls(),
        java.util.Optional.of(new StoredCalls(system, sharding)),
        DirectDelivery.start(system, sharding, services.activeCalls(), askTimeout)),
        services.activeCalls());
  }

  /**
   * How an answered outbound leg runs its TwiML ({@code LegSpec.onAnswer()}): in a {@link
   * CallActor} over the leg's channel, which hands the entity back to the leg when its script is
   * over.
   */
  public static AnsweredLegRunner legTwiml(CallServices services) {
    return new AnsweredLegRunner() {
      @Override
      public Behavior<CallCommand> runTwiml(AnsweredLegRunner.AnsweredLeg leg,
          Function<AnsweredLegRunner.TwimlEnd, Behavior<CallCommand>> then) {
        return CallActor.forLeg(leg, then, services);
      }

      @Override
      public Behavior<CallCommand> resumeTwiml(AnsweredLegRunner.AnsweredLeg leg,
          Function<AnsweredLegRunner.TwimlEnd, Behavior<CallCommand>> then) {
        return LegTwiml.resume(leg, then, services);
      }

      @Override
      public void discardTwiml(
          org.apache.pekko.actor.typed.javadsl.ActorContext<CallCommand> ctx, String callSid) {
        LegTwiml.discard(ctx, callSid);
      }
    };
  }

  /** Where the ARI router delivers events. */
  public EventSink eventSink() {
    return sink;
  }

  /** The entity of {@code callSid} (REST commands, snapshots). */
  public EntityRef<CallCommand> call(String callSid) {
    return sharding.entityRefFor(CallEntity.TYPE_KEY, callSid);
  }

  /** The calls running on this node. */
  public ActiveCalls active() {
    return active;
  }

  /**
   * Moves this node's call entities to the other nodes of the cluster: a graceful shutdown of the
   * call shard region (each shard handed off: its entities stop, their durable checkpoints stay;
   * messages to them wait for the shard's new home). Completes with whether the region finished
   * within {@code within}. Only for a node that is leaving with a durable store: afterwards this
   * node runs no call, and what stops here moves ({@link NodeHandOver}): no end watcher is told the
   * call ended, no dial bridge is torn down.
   */
  public java.util.concurrent.CompletionStage<Boolean> handOver(Duration within) {
    NodeHandOver.get(system).start();
    org.apache.pekko.actor.ActorRef region =
        org.apache.pekko.cluster.sharding.ClusterSharding.get(
                org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
            .shardRegion(CallEntity.TYPE_KEY.name());
    return org.apache.pekko.pattern.Patterns.gracefulStop(region, within,
            org.apache.pekko.cluster.sharding.ShardRegion.gracefulShutdownInstance())
        .exceptionally(timedOut -> false);
  }
}
