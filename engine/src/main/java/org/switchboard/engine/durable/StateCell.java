package org.switchboard.engine.durable;

import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One row of the durable state table as the actor that owns it writes and reads it: saves and the
 * final delete go to the node's {@link StateWriter} (a map put: never waited for, and a delete
 * queued before the actor stops is never lost with it), reads go through the persistence plugin
 * ({@code getObject}) after what the writer still holds. Shared by a call's checkpoints and every
 * {@link DurableSlot}; used inside one actor only.
 */
public final class StateCell {
  private static final Logger LOG = LoggerFactory.getLogger(StateCell.class);

  private final String persistenceId;
  private final String tag;
  private final String pluginId;
  private final StateWriter writer;
  private final ActorSystem<?> system;
  private long revision;
  /** Whether the store was read: a row of an earlier incarnation may then exist. */
  private boolean read;

  public StateCell(String persistenceId, String tag, String pluginId, ActorSystem<?> system) {
    this.persistenceId = persistenceId;
    this.tag = tag;
    this.pluginId = pluginId;
    this.writer = StateWriters.writer(system);
    this.system = system;
  }

  /** {@code row} (the stored value) replaces the stored one. */
  public void save(Object row) {
    writer.save(persistenceId, row, tag, ++revision);
  }

  /** The row goes. */
  public void delete() {
    writer.delete(persistenceId, read);
  }

  /** The row goes, an earlier incarnation's too, though it was not read. */
  public void deleteStored() {
    writer.delete(persistenceId, true);
  }

  /**
   * Reads the stored row and gives it to {@code reply} (empty when there is none). A failed read
   * is no answer: the asker's timeout takes the path of a store that could not be asked.
   */
  @SuppressWarnings("unchecked")
  public void read(Consumer<Optional<Object>> reply) {
    read = true;
    Optional<Object> queued = writer.queuedValue(persistenceId);
    if (queued != null) {
      reply.accept(queued);
      return;
    }
    DurableStateUpdateStore<Object> store = DurableStateStoreRegistry.get(system)
        .getDurableStateStoreFor(DurableStateUpdateStore.class, pluginId);
    store.getObject(persistenceId).whenComplete((result, error) -> {
      if (error != null) {
        LOG.warn("{}: reading the stored state failed: {}", persistenceId, error.toString());
      } else {
        reply.accept(result.value());
      }
    });
  }
}
