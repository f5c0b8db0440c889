package org.switchboard.engine.call;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.UpdatedDurableState;
import org.apache.pekko.persistence.query.javadsl.DurableStateStoreQuery;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.CallCommand;

/**
 * The store's sweep after a restart: once the link to a server is up for the first time, every
 * call the store holds on that server is told {@link CallCommand.Recover}, so a call whose channel
 * went while no node ran (the caller hung up) is resumed, learns that from Asterisk and ends with
 * its callbacks, instead of staying in the store unknown. Calls whose channel Asterisk still
 * lists resume through their {@link CallCommand.Reconcile} as well; whichever comes first resumes
 * the call and the other is ignored. A sweep that fails is made again at the server's next resync
 * (on a cluster's link owner, after each node's removal). Nothing happens in memory mode.
 */
final class StoredCalls {
  private static final Logger LOG = LoggerFactory.getLogger(StoredCalls.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final CallStore store;
  private final Set<String> swept = ConcurrentHashMap.newKeySet();

  StoredCalls(ActorSystem<?> system, ClusterSharding sharding) {
    this.system = system;
    this.sharding = sharding;
    this.store = CallStore.of(system.settings().config());
  }

  /** The link to {@code serverId} is up: the first time, its stored calls are told to recover. */
  @SuppressWarnings("unchecked")
  void serverUp(String serverId) {
    if (!store.durable() || !swept.add(serverId)) {
      return;
    }
    DurableStateStoreQuery<Object> query;
    try {
      query = DurableStateStoreRegistry.get(system)
          .getDurableStateStoreFor(DurableStateStoreQuery.class, store.pluginId());
    } catch (RuntimeException e) {
      LOG.error("server {}: the store cannot list its calls: {}", serverId, e.toString());
      swept.remove(serverId);
      return;
    }
    query.currentChanges(CallCheckpoints.TAG, NoOffset.getInstance())
        .filter(change -> change instanceof UpdatedDurableState<Object> u
            && u.value() instanceof CallCheckpoints.Stored stored
            && stored.live().filter(c -> c.channel().serverId().equals(serverId)).isPresent())
        .map(change -> change.persistenceId())
        .runForeach(id -> sharding
            .entityRefFor(CallEntity.TYPE_KEY, CallCheckpoints.callSidOf(id))
            .tell(new CallCommand.Recover(serverId)), system)
        .whenComplete((done, error) -> {
          if (error != null) {
            // The next resync of the server sweeps again (a Recover is ignored by a live call).
            LOG.error("server {}: listing the stored calls failed (again at the next resync): {}",
                serverId, error.toString());
            swept.remove(serverId);
          }
        });
  }
}
