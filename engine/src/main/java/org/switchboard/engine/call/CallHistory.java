package org.switchboard.engine.call;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * The final snapshots of calls that ended on this node (inbound calls, REST-originated calls,
 * dial and {@code /ring} legs), newest last, so the REST API can fetch and list a call after it
 * ended. Bounded: past {@code capacity} the oldest entries are forgotten. Thread-safe.
 */
public final class CallHistory {
  /** The default number of ended calls kept. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final Map<String, CallSnapshot> ended;
  private final List<java.util.function.Consumer<CallSnapshot>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A history keeping the last {@code capacity} ended calls. */
  public CallHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.ended =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, CallSnapshot> eldest) {
            return size() > CallHistory.this.capacity;
          }
        };
  }

  /** A history of {@link #DEFAULT_CAPACITY} calls. */
  public CallHistory() {
    this(DEFAULT_CAPACITY);
  }

  /** Records the final snapshot of an ended call (a later record of the same call replaces it). */
  public void record(CallSnapshot snapshot) {
    synchronized (this) {
      ended.remove(snapshot.callSid());
      ended.put(snapshot.callSid(), snapshot);
    }
    listeners.forEach(l -> l.accept(snapshot));
  }

  /** Calls {@code listener} with every call that ends from now on, until it is removed. */
  public void addListener(java.util.function.Consumer<CallSnapshot> listener) {
    listeners.add(listener);
  }

  public void removeListener(java.util.function.Consumer<CallSnapshot> listener) {
    listeners.remove(listener);
  }

  /** The final snapshot of {@code callSid}, if it ended here and is still remembered. */
  public synchronized Optional<CallSnapshot> find(String callSid) {
    return Optional.ofNullable(ended.get(callSid));
  }

  /** Every remembered call, newest first. */
  public synchronized List<CallSnapshot> list() {
    List<CallSnapshot> out = new ArrayList<>(ended.values());
    Collections.reverse(out);
    return out;
  }

  /** Forgets the calls that ended before {@code cutoff} (retention); how many went. */
  public synchronized int forgetEndedBefore(java.time.Instant cutoff) {
    int before = ended.size();
    ended.values().removeIf(s -> s.endTime().map(end -> end.isBefore(cutoff)).orElse(false));
    return before - ended.size();
  }

  /** How many calls are remembered. */
  public synchronized int size() {
    return ended.size();
  }
}
