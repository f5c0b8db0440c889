package org.switchboard.engine.store;

import java.time.Clock;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.RecordingIndex;

/** Opens the {@link HistoryStore} {@code switchboard.store} names, fed by the node's records. */
public final class HistoryStores {
  private HistoryStores() {}

  /**
   * The store of {@code settings}: for {@code memory} the node's own {@code history} and {@code
   * recordings}; otherwise the database, which from now on receives every call that ends and
   * every recording that completes on this node.
   *
   * @throws IllegalStateException when the database cannot be opened (its reason in the message)
   */
  public static HistoryStore open(
      StoreSettings settings, CallHistory history, RecordingIndex recordings, Clock clock) {
    if (settings.kind() == StoreSettings.Kind.MEMORY) {
      return new MemoryHistoryStore(history, recordings);
    }
    JdbcHistoryStore store = JdbcHistoryStore.open(settings, clock);
    history.addListener(store::callEnded);
    recordings.addListener(store::recordingCompleted);
    return store;
  }
}
