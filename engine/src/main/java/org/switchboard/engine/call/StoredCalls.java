package org.switchboard.engine.call;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.UpdatedDurableState;
import org.apache.pekko.persistence.query.javadsl.DurableStateStoreQuery;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.StateWriters;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.protocol.CallCommand;

/**
 * The store's sweep after each resync of a server (a node's start, a reconnect, and on a cluster's
 * link owner each node's removal): every call the store holds on that server is told {@link
 * CallCommand.Recover}, so a call whose channel went while no node ran it (the caller hung up
 * while its node was down, or before its shard had a new home) is resumed, learns that from
 * Asterisk and ends with its callbacks, instead of staying in the store unknown. Calls whose
 * channel Asterisk still lists resume through their {@link CallCommand.Reconcile} as well;
 * whichever comes first resumes the call and the other is ignored, as is a Recover that reaches a
 * live call. Nothing happens in memory mode.
 */
final class StoredCalls {
  private static final Logger LOG = LoggerFactory.getLogger(StoredCalls.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final CallStore store;

  StoredCalls(ActorSystem<?> system, ClusterSharding sharding) {
    this.system = system;
    this.sharding = sharding;
    this.store = CallStore.of(system.settings().config());
  }

  /** The link to {@code serverId} resynced: its stored calls are told to recover. */
  void serverUp(String serverId) {
    if (!store.durable()) {
      return;
    }
    // The node's writer lists the rows itself; the plugin's query by tag would start its
    // sequence actor, which then polls the table for good (StateWriter#tagged).
    java.util.concurrent.CompletionStage<java.util.Map<String, Object>> listed;
    try {
      listed = StateWriters.writer(system).tagged(CallCheckpoints.TAG);
    } catch (IllegalStateException noWriter) {
      listed = java.util.concurrent.CompletableFuture.failedFuture(
          new UnsupportedOperationException(noWriter.getMessage()));
    }
    listed
        .thenAccept(rows -> rows.forEach((id, value) -> {
          if (onServer(value, serverId)) {
            recover(id, serverId);
          }
        }))
        .whenComplete((done, error) -> {
          if (error == null) {
            return;
          }
          if (Failures.cause(error) instanceof UnsupportedOperationException) {
            viaPlugin(serverId);
          } else {
            LOG.error("server {}: listing the stored calls failed (again at the next resync): {}",
                serverId, error.toString());
          }
        });
  }

  /** The same through the durable state plugin's query by tag (a writer that cannot list). */
  @SuppressWarnings("unchecked")
  private void viaPlugin(String serverId) {
    DurableStateStoreQuery<Object> query;
    try {
      query = DurableStateStoreRegistry.get(system)
          .getDurableStateStoreFor(DurableStateStoreQuery.class, store.pluginId());
    } catch (RuntimeException e) {
      LOG.error("server {}: the store cannot list its calls: {}", serverId, e.toString());
      return;
    }
    query.currentChanges(CallCheckpoints.TAG, NoOffset.getInstance())
        .filter(change -> change instanceof UpdatedDurableState<Object> u
            && onServer(u.value(), serverId))
        .map(change -> change.persistenceId())
        .runForeach(id -> recover(id, serverId), system)
        .whenComplete((done, error) -> {
          if (error != null) {
            LOG.error("server {}: listing the stored calls failed (again at the next resync): {}",
                serverId, error.toString());
          }
        });
  }

  /** Whether {@code value} is a live call's state whose channel is on {@code serverId}. */
  private static boolean onServer(Object value, String serverId) {
    return value instanceof CallCheckpoints.Stored stored
        && stored.live().filter(c -> c.channel().serverId().equals(serverId)).isPresent();
  }

  private void recover(String persistenceId, String serverId) {
    sharding
        .entityRefFor(CallEntity.TYPE_KEY, CallCheckpoints.callSidOf(persistenceId))
        .tell(new CallCommand.Recover(serverId));
  }
}
