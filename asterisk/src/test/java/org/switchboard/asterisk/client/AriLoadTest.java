package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;

/** Pending, stuck and round-trip counts of ARI commands, on a clock the test moves. */
class AriLoadTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final AriLoad load = new AriLoad(nanos::get);

  @Test
  void countsPendingCommandsUntilTheyCompleteEitherWay() {
    CompletableFuture<String> answered = new CompletableFuture<>();
    CompletableFuture<String> failed = new CompletableFuture<>();
    load.track(answered);
    load.track(failed);
    assertEquals(2, load.pending());
    answered.complete("ok");
    failed.completeExceptionally(new RuntimeException("500"));
    assertEquals(0, load.pending());
  }

  @Test
  void countsTheCommandsThatGotNoAnswerNotThoseAsteriskRefused() {
    CompletableFuture<String> refused = new CompletableFuture<>();
    CompletableFuture<String> timedOut = new CompletableFuture<>();
    load.track(refused);
    load.track(timedOut);
    refused.completeExceptionally(new AriCommandException("ast1", "POST /channels/{id}/play",
        404, "Channel not found"));
    timedOut.completeExceptionally(new AriCommandException("ast1", "POST /channels/{id}/play",
        new java.util.concurrent.TimeoutException("no answer within 10000 ms")));
    assertEquals(1, load.unanswered());
  }

  @Test
  void aCommandPendingForSecondsCountsAsStuckAFreshOneDoesNot() {
    load.track(new CompletableFuture<>());
    nanos.addAndGet(6_000_000_000L);
    load.track(new CompletableFuture<>());
    assertEquals(2, load.pending());
    assertEquals(1, load.pendingOlderThan(5));
    assertEquals(0, load.pendingOlderThan(7));
  }

  @Test
  void theRoundTripIsTheAverageOfTheCommandsCompletedSinceTheLastLook() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    load.track(a);
    load.track(b);
    nanos.addAndGet(10_000_000L);
    a.complete("ok");
    nanos.addAndGet(20_000_000L);
    b.complete("ok");
    assertEquals(20.0, load.takeLatencyMillis(), 0.001);
    assertEquals(0.0, load.takeLatencyMillis(), 0.001);
  }
}
