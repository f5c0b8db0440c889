package org.switchboard.engine.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.ChannelEvent;

/**
 * How a call entity (an inbound call, a leg, an unclaimed entity) ends. Inside Cluster Sharding it
 * asks its shard to passivate it and acknowledges the events already on their way (a trailing
 * {@code ChannelDestroyed}, {@code StasisEnd} or {@code BridgeDestroyed}) until the shard stops
 * it; events sent later are held by the shard for a fresh entity. An entity that simply stopped
 * would drop those events with its mailbox, and the router would wait its whole ask timeout for
 * each. A {@code StasisStart} that reaches it meanwhile (the channel entered Stasis again) is a
 * new call: it is sent back through sharding ({@code redeliver}), which holds it for the next
 * incarnation of the entity. Outside sharding ({@link #STOP}) the actor just stops.
 */
public final class EntityEnd {
  private static final Logger LOG = LoggerFactory.getLogger(EntityEnd.class);

  /** Outside sharding: the actor stops. */
  public static final EntityEnd STOP = new EntityEnd(Optional.empty(), command -> {});

  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final Consumer<CallCommand> redeliver;

  private EntityEnd(
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Consumer<CallCommand> redeliver) {
    this.shard = Objects.requireNonNull(shard, "shard");
    this.redeliver = Objects.requireNonNull(redeliver, "redeliver");
  }

  /**
   * Ends through {@code shard} (empty outside sharding); {@code redeliver} sends a command to the
   * entity's own EntityRef (a StasisStart that arrives while it passivates).
   */
  public static EntityEnd of(
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Consumer<CallCommand> redeliver) {
    return shard.isPresent() ? new EntityEnd(shard, redeliver) : STOP;
  }

  /**
   * Whether {@code event} is one that trails an entity's end: its channel or bridge is gone or
   * going, so an entity that gets it first has nothing to start. With {@code subscribeAll} Asterisk
   * sends a channel's {@code ChannelHangupRequest}s, {@code ChannelLeftBridge} and
   * {@code ChannelDestroyed} after its {@code StasisEnd} (transcript 01), when the call's entity has
   * already passivated; an entity that waited for a call there held its stash for the unclaimed
   * timeout (30 s): 0.2 entities per ended call in {@code simple}, 0.95 in {@code hotline}. So is
   * the echo of a transfer's progress ({@code ChannelTransfer} with a {@code state}), which comes
   * when the transferer may already be gone.
   */
  public static boolean isTrailing(ChannelEvent event) {
    return (event instanceof ChannelEvent.TransferRequested t && t.state().isPresent())
        || event instanceof ChannelEvent.ChannelDestroyed
        || event instanceof ChannelEvent.StasisLeft
        || event instanceof ChannelEvent.BridgeDestroyed
        || event instanceof ChannelEvent.HangupRequested
        || event instanceof ChannelEvent.LeftBridge;
  }

  /**
   * The entity of {@code ctx} is over: passivates it and acknowledges every event that still
   * reaches it, except a {@code StasisStart} (a new call), which goes back through sharding
   * unacknowledged: the next incarnation runs it and acknowledges it. Other messages are ignored.
   */
  public <T> Behavior<T> end(ActorContext<T> ctx) {
    if (shard.isEmpty()) {
      return Behaviors.stopped();
    }
    shard.get().tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return Behaviors.receiveMessage(message -> {
      if (message instanceof CallCommand.Deliver deliver) {
        if (deliver.event() instanceof ChannelEvent.StasisEntered) {
          LOG.info("{}: StasisStart arrived while passivating; handed to the next"
              + " incarnation", ctx.getSelf().path().name());
          redeliver.accept(deliver);
        } else {
          deliver.ack().tell(Done.getInstance());
        }
      }
      return Behaviors.same();
    });
  }
}
