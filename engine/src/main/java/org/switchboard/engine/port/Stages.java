package org.switchboard.engine.port;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.apache.pekko.dispatch.OnComplete;
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
  private static final ExecutionContextExecutor SAME_THREAD =
      ExecutionContexts.fromExecutor(Runnable::run);

  private Stages() {}

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
