package org.switchboard.engine.port;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.apache.pekko.dispatch.OnComplete;
import org.apache.pekko.stream.BufferOverflowException;
import scala.concurrent.ExecutionContextExecutor;
import scala.jdk.javaapi.FutureConverters;

/**
 * Continuations on Pekko's Java-API futures without a thread hop. Pekko hands out
 * Scala-Future-backed {@link CompletionStage}s whose {@code thenApply}/{@code thenCompose}/{@code
 * handle} run as <em>async</em> stages on the common pool, which on a 2-core machine is a new
 * thread per task. {@link #direct} completes a plain {@link CompletableFuture} from the Scala
 * future's own callback on the completing thread, so the stages chained on it run there.
 */
public final class Stages {
  /** Runs callbacks on the thread that completes the future. */
  static final ExecutionContextExecutor SAME_THREAD =
      ExecutionContexts.fromExecutor(Runnable::run);

  /** The longest wait between two offers to a full pool. */
  private static final long MAX_POOL_WAIT_MILLIS = 200;

  private Stages() {}

  /**
   * {@code send()} (a Pekko HTTP {@code singleRequest}), offered again while the client pool
   * refuses it as full ("Exceeded configured max-open-requests"): a refused request was never
   * sent, so offering it again is safe even for a POST. Waits 5 ms, doubling to 200 ms, until
   * {@code deadlineNanos} ({@link System#nanoTime()}); then, or on any other failure, fails as
   * {@code send()} did. {@code onFirstRefusal} runs once, for the log. A burst larger than the
   * pool thus waits its turn instead of failing the calls it belongs to.
   */
  public static <T> CompletableFuture<T> whilePoolFull(
      Supplier<CompletionStage<T>> send, long deadlineNanos, Scheduler scheduler,
      Runnable onFirstRefusal) {
    return offer(send, deadlineNanos, scheduler, onFirstRefusal, 0);
  }

  /**
   * {@code action} run at most once a second however often the result runs: for a warning that a
   * burst would otherwise repeat for every request.
   */
  public static Runnable atMostEverySecond(Runnable action) {
    AtomicLong last = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));
    return () -> {
      long now = System.nanoTime();
      long before = last.get();
      if (now - before >= TimeUnit.SECONDS.toNanos(1) && last.compareAndSet(before, now)) {
        action.run();
      }
    };
  }

  private static <T> CompletableFuture<T> offer(
      Supplier<CompletionStage<T>> send, long deadlineNanos, Scheduler scheduler,
      Runnable onFirstRefusal, int attempt) {
    return direct(send.get()).exceptionallyCompose(error -> {
      Throwable cause = Failures.cause(error);
      long waitMillis = Math.min(MAX_POOL_WAIT_MILLIS, 5L << Math.min(attempt, 6));
      if (!(cause instanceof BufferOverflowException)
          || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) >= deadlineNanos) {
        return CompletableFuture.failedFuture(cause);
      }
      if (attempt == 0) {
        onFirstRefusal.run();
      }
      CompletableFuture<Void> waited = new CompletableFuture<>();
      scheduler.scheduleOnce(Duration.ofMillis(waitMillis), () -> waited.complete(null), SAME_THREAD);
      return waited.thenCompose(v -> offer(send, deadlineNanos, scheduler, onFirstRefusal, attempt + 1));
    });
  }

  /**
   * A plain future completed like {@code stage}, on the thread that completes it. Keep the stages
   * chained on the result short and non-blocking: they run on a Pekko dispatcher thread.
   */
  public static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
    if (stage.getClass() == CompletableFuture.class) {
      return (CompletableFuture<T>) stage;
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    FutureConverters.asScala(stage).onComplete(new OnComplete<T>() {
      @Override
      public void onComplete(Throwable failure, T value) {
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(value);
        }
      }
    }, SAME_THREAD);
    return result;
  }
}
