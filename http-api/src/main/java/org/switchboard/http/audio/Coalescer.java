package org.switchboard.http.audio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs one piece of asynchronous work per key at a time: callers asking for a key whose work is
 * under way share its result instead of starting it again.
 *
 * @param <K> key type
 * @param <V> result type
 */
public final class Coalescer<K, V> {

  private final ConcurrentHashMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /** The result of the work under way for {@code key}, or of {@code work} started now. */
  public CompletableFuture<V> run(K key, Supplier<? extends CompletionStage<V>> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    CompletionStage<V> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((value, error) -> {
      inFlight.remove(key, mine);
      if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(value);
      }
    });
    return mine;
  }

  /** Number of keys with work under way. */
  public int inFlight() {
    return inFlight.size();
  }
}
