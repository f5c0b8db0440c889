package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

class StagesTest {
  @Test
  void stagesRunOnTheThreadThatCompletesTheScalaFuture() throws Exception {
    Promise<String> promise = Promise.apply();
    CompletionStage<String> pekkoStyle = FutureConverters.asJava(promise.future());
    CompletableFuture<String> ranOn =
        Stages.direct(pekkoStyle).thenApply(value -> value + "@" + Thread.currentThread().getName());

    Thread completer = new Thread(() -> promise.success("answer"), "completer");
    completer.start();
    completer.join(TimeUnit.SECONDS.toMillis(30));

    assertEquals("answer@completer", ranOn.get(30, TimeUnit.SECONDS));
  }

  @Test
  void failuresPassThroughUnwrapped() {
    Promise<String> promise = Promise.apply();
    CompletableFuture<String> direct = Stages.direct(FutureConverters.asJava(promise.future()));
    IllegalStateException boom = new IllegalStateException("boom");
    promise.failure(boom);
    ExecutionException e = assertThrows(ExecutionException.class, direct::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void aPlainFutureIsReturnedAsIs() {
    CompletableFuture<String> plain = new CompletableFuture<>();
    assertSame(plain, Stages.direct(plain));
  }
}
