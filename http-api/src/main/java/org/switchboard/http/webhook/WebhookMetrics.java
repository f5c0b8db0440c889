package org.switchboard.http.webhook;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of the webhook client, read by the metrics endpoint: requests by purpose and outcome,
 * a latency histogram, HTTP attempts, failed attempts by kind, retries, and outbox deliveries,
 * retries and dead letters. An {@link Observer} sees each event as it happens (the node feeds
 * {@code /metrics} from it). Thread-safe, lock-free.
 */
public final class WebhookMetrics {
  /** Sees each counted event; every method defaults to nothing. */
  public interface Observer {
    /** An HTTP request is sent (a retry when {@code retry}). */
    default void attempt(String purpose, boolean retry) {}

    /**
     * An attempt failed: {@code kind} is {@code refused}, {@code connect_timeout}, {@code timeout},
     * {@code 4xx}, {@code 5xx}, {@code body_too_large}, {@code too_many_redirects}, {@code
     * invalid_request} or {@code error}.
     */
    default void attemptFailed(String purpose, String kind) {}

    /** The outbox delivered a callback. */
    default void outboxDelivered() {}

    /** The outbox rescheduled a callback after a failed delivery. */
    default void outboxRetried() {}

    /** The outbox gave a callback up. */
    default void outboxDeadLettered() {}
  }

  /** Upper bounds (inclusive, in ms) of the latency buckets; a last bucket holds the rest. */
  public static final List<Long> LATENCY_BOUNDS_MS =
      List.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1000L, 2500L, 5000L, 10000L, 15000L);

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final AtomicLongArray latencyBuckets = new AtomicLongArray(LATENCY_BOUNDS_MS.size() + 1);
  private final LongAdder latencySumMs = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder outboxDelivered = new LongAdder();
  private final LongAdder outboxRetried = new LongAdder();
  private final LongAdder outboxDeadLettered = new LongAdder();
  private final Map<String, LongAdder> attemptFailures = new ConcurrentHashMap<>();
  private volatile Observer observer = new Observer() {};
  private volatile IntSupplier outboxDepth = () -> 0;
  private volatile java.util.function.BiConsumer<String, Long> listener = (purpose, ms) -> {};

  /** Also reports every finished request's purpose and latency (ms) to {@code listener}. */
  public void onRequest(java.util.function.BiConsumer<String, Long> listener) {
    this.listener = listener;
  }

  /** Records one finished request (all attempts and redirects) and its latency. */
  public void recordRequest(String purpose, String outcome, long latencyMs) {
    requests.computeIfAbsent(key(purpose, outcome), k -> new LongAdder()).increment();
    int bucket = 0;
    while (bucket < LATENCY_BOUNDS_MS.size() && latencyMs > LATENCY_BOUNDS_MS.get(bucket)) {
      bucket++;
    }
    latencyBuckets.incrementAndGet(bucket);
    latencySumMs.add(latencyMs);
    listener.accept(purpose, latencyMs);
  }

  /** Also reports every counted event to {@code observer}. */
  public void observe(Observer observer) {
    this.observer = observer;
  }

  void recordAttempt(String purpose, boolean retry) {
    attempts.increment();
    if (retry) {
      retries.increment();
    }
    observer.attempt(label(purpose), retry);
  }

  void recordAttemptFailure(String purpose, String kind) {
    attemptFailures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    observer.attemptFailed(label(purpose), kind);
  }

  void recordOutboxDelivered() {
    outboxDelivered.increment();
    observer.outboxDelivered();
  }

  void recordOutboxRetry() {
    outboxRetried.increment();
    observer.outboxRetried();
  }

  void recordOutboxDeadLetter() {
    outboxDeadLettered.increment();
    observer.outboxDeadLettered();
  }

  /** Failed attempts of this kind (see {@link Observer#attemptFailed}). */
  public long attemptFailures(String kind) {
    LongAdder adder = attemptFailures.get(kind);
    return adder == null ? 0 : adder.sum();
  }

  void outboxDepthSource(IntSupplier depth) {
    this.outboxDepth = depth;
  }

  /** Requests so far, keyed {@code purpose/outcome} (outcome: 2xx…5xx, timeout, …), sorted. */
  public Map<String, Long> requests() {
    Map<String, Long> copy = new TreeMap<>();
    requests.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Requests with this purpose and outcome. */
  public long requests(String purpose, String outcome) {
    LongAdder adder = requests.get(key(purpose, outcome));
    return adder == null ? 0 : adder.sum();
  }

  /** Non-cumulative counts per bucket of {@link #LATENCY_BOUNDS_MS}, plus one overflow bucket. */
  public long[] latencyBuckets() {
    long[] copy = new long[latencyBuckets.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = latencyBuckets.get(i);
    }
    return copy;
  }

  /** Sum of all recorded latencies in ms. */
  public long latencySumMs() {
    return latencySumMs.sum();
  }

  /** HTTP requests sent, including retries and redirects. */
  public long attempts() {
    return attempts.sum();
  }

  /** Attempts that were retries. */
  public long retries() {
    return retries.sum();
  }

  /** Callbacks the outbox delivered (2xx). */
  public long outboxDelivered() {
    return outboxDelivered.sum();
  }

  /** Outbox deliveries that failed and were rescheduled. */
  public long outboxRetried() {
    return outboxRetried.sum();
  }

  /** Callbacks given up after the maximum age. */
  public long outboxDeadLettered() {
    return outboxDeadLettered.sum();
  }

  /** Callbacks waiting in the outbox now. */
  public int outboxDepth() {
    return outboxDepth.getAsInt();
  }

  private static String key(String purpose, String outcome) {
    return label(purpose) + "/" + outcome;
  }

  private static String label(String purpose) {
    return purpose == null ? "unknown" : purpose;
  }
}
