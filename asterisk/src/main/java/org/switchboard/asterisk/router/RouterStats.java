package org.switchboard.asterisk.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of an {@link EventRouter}, for /health and metrics. Thread-safe. */
public final class RouterStats {
  private final LongAdder received = new LongAdder();
  private final LongAdder routed = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder deliveryFailures = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder unmappable = new LongAdder();
  private final LongAdder serverEvents = new LongAdder();
  private final Map<String, LongAdder> ignored = new ConcurrentHashMap<>();

  void received() {
    received.increment();
  }

  void routed() {
    routed.increment();
  }

  void delivered() {
    delivered.increment();
  }

  void deliveryFailed() {
    deliveryFailures.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void unmappable() {
    unmappable.increment();
  }

  void serverEvent() {
    serverEvents.increment();
  }

  void ignored(String reason) {
    ignored.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** A consistent-enough copy of the counters. */
  public Snapshot snapshot() {
    Map<String, Long> ignoredCounts = new TreeMap<>();
    ignored.forEach((k, v) -> ignoredCounts.put(k, v.sum()));
    return new Snapshot(
        received.sum(),
        routed.sum(),
        delivered.sum(),
        deliveryFailures.sum(),
        duplicates.sum(),
        unmappable.sum(),
        serverEvents.sum(),
        Map.copyOf(ignoredCounts));
  }

  /**
   * Counters: ARI events received, handed to the delivery stage, acknowledged by the engine,
   * refused by the engine, dropped as subscribeAll duplicates, impossible to map (missing
   * channel), server events passed on, and events not routed by reason (usually the type).
   */
  public record Snapshot(
      long received,
      long routed,
      long delivered,
      long deliveryFailures,
      long duplicates,
      long unmappable,
      long serverEvents,
      Map<String, Long> ignored) {

    /** The number of events not routed for {@code reason}. */
    public long ignored(String reason) {
      return ignored.getOrDefault(reason, 0L);
    }
  }
}
