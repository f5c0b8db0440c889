package org.switchboard.engine.call;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;

/**
 * The router's entry into the engine: each event goes to its call entity ({@link CallRouting}) and
 * counts as delivered once the entity acknowledged it. After a resync every channel and bridge
 * Asterisk still holds is offered to its owner as a {@link CallCommand.Reconcile}, so orphans of
 * ended calls are hung up or destroyed and an inbound call whose StasisStart was lost starts; and every live call and leg of this node is told
 * {@link CallCommand.ServerResynced}, so those whose channel, playback or recording ended while
 * the events were lost learn it from Asterisk (even when their channel is no longer listed).
 */
public final class ShardedEventSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(ShardedEventSink.class);

  private static final CompletionStage<Done> DELIVERED =
      java.util.concurrent.CompletableFuture.completedStage(Done.getInstance());

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final ActiveCalls active;
  private final java.util.Optional<StoredCalls> stored;
  private final java.util.Optional<DirectDelivery> direct;

  public ShardedEventSink(ClusterSharding sharding, Duration askTimeout) {
    this(sharding, askTimeout, new ActiveCalls());
  }

  /** Also tells the live calls and legs in {@code active} after each resync. */
  public ShardedEventSink(ClusterSharding sharding, Duration askTimeout, ActiveCalls active) {
    this(sharding, askTimeout, active, java.util.Optional.empty());
  }

  /** Also sweeps the calls of {@code stored} after each resync of a server. */
  ShardedEventSink(ClusterSharding sharding, Duration askTimeout, ActiveCalls active,
      java.util.Optional<StoredCalls> stored) {
    this(sharding, askTimeout, active, stored, java.util.Optional.empty());
  }

  /** Also hands the events of calls and legs running here straight to them ({@code direct}). */
  ShardedEventSink(ClusterSharding sharding, Duration askTimeout, ActiveCalls active,
      java.util.Optional<StoredCalls> stored, java.util.Optional<DirectDelivery> direct) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.active = active;
    this.stored = stored;
    this.direct = direct;
  }

  @Override
  public CompletionStage<Done> deliver(ChannelEvent event) {
    String entityId = CallRouting.entityIdFor(event);
    if (EntityEnd.isTrailing(event)) {
      if (active.endedHere(entityId)) {
        // The call ended here with its channel gone: a fresh entity would only acknowledge this
        // and passivate (CallEntity), so it is acknowledged here (RecentlyEnded).
        return DELIVERED;
      }
    } else if (event instanceof ChannelEvent.StasisEntered) {
      active.starting(entityId);
    }
    if (direct.isPresent()) {
      java.util.Optional<CompletionStage<Done>> straight = direct.get().deliver(entityId, event);
      if (straight.isPresent()) {
        return straight.get();
      }
    }
    return sharding
        .entityRefFor(CallEntity.TYPE_KEY, entityId)
        .ask(ack -> new CallCommand.Deliver(event, ack), askTimeout);
  }

  @Override
  public void serverEvent(ServerEvent event) {
    if (event instanceof ServerEvent.Resynced resynced) {
      LOG.info("server {} resynced: {} channels, {} bridges", resynced.serverId(),
          resynced.channels().size(), resynced.bridges().size());
      for (ChannelEvent.ChannelInfo channel : resynced.channels()) {
        String entityId = CallRouting.entityIdFor(resynced.serverId(), channel.id());
        if (active.hangupPendingFor(entityId)) {
          continue; // its hangup is already being sent until Asterisk confirms (a refusal too)
        }
        sharding
            .entityRefFor(CallEntity.TYPE_KEY, entityId)
            .tell(new CallCommand.Reconcile(resynced.serverId(), channel.id(), false,
                CallRouting.unansweredInbound(channel)));
      }
      for (ServerEvent.BridgeInfo bridge : resynced.bridges()) {
        if (CallRouting.ownerOf(bridge.id()).isPresent()) {
          reconcile(resynced.serverId(), bridge.id(), true);
        }
      }
      LOG.info("server {}: {} live calls and legs check what they missed", resynced.serverId(),
          active.count());
      active.tellAll(new CallCommand.ServerResynced(resynced.serverId(),
          resynced.channels().stream().map(ChannelEvent.ChannelInfo::id)
              .collect(java.util.stream.Collectors.toSet())));
      stored.ifPresent(s -> s.serverUp(resynced.serverId()));
    } else if (event instanceof ServerEvent.Disconnected d) {
      LOG.warn("server {} disconnected: {}", d.serverId(), d.reason());
    } else if (event instanceof ServerEvent.Replaced r) {
      LOG.warn("server {}: another connection took over the ARI application", r.serverId());
    } else {
      LOG.info("server {}: {}", event.serverId(), event);
    }
  }

  private void reconcile(String serverId, String resourceId, boolean bridge) {
    sharding
        .entityRefFor(CallEntity.TYPE_KEY, CallRouting.entityIdFor(serverId, resourceId))
        .tell(new CallCommand.Reconcile(serverId, resourceId, bridge));
  }
}
