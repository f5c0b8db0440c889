package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.BufferOverflowException;
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

  @Test
  void aRequestRefusedByAFullPoolIsOfferedAgainUntilItIsTaken() throws Exception {
    ActorSystem system = ActorSystem.create("stages-test");
    try {
      AtomicInteger offers = new AtomicInteger();
      AtomicInteger warnings = new AtomicInteger();
      CompletableFuture<String> taken = Stages.whilePoolFull(
          () -> offers.incrementAndGet() <= 3
              ? CompletableFuture.failedFuture(new BufferOverflowException("full"))
              : CompletableFuture.completedFuture("sent"),
          System.nanoTime() + TimeUnit.SECONDS.toNanos(10), system.scheduler(),
          warnings::incrementAndGet);
      assertEquals("sent", taken.get(10, TimeUnit.SECONDS));
      assertEquals(4, offers.get());
      assertEquals(1, warnings.get(), "one warning per request, however often it is refused");

      AtomicInteger otherOffers = new AtomicInteger();
      CompletableFuture<String> refused = Stages.whilePoolFull(
          () -> {
            otherOffers.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
          },
          System.nanoTime() + TimeUnit.SECONDS.toNanos(10), system.scheduler(), () -> {});
      ExecutionException other = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
      assertEquals(IllegalStateException.class, other.getCause().getClass());
      assertEquals(1, otherOffers.get(), "only a full pool is waited for");

      CompletableFuture<String> late = Stages.whilePoolFull(
          () -> CompletableFuture.failedFuture(new BufferOverflowException("full")),
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), system.scheduler(), () -> {});
      ExecutionException full = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
      assertEquals(BufferOverflowException.class, full.getCause().getClass(), "past the deadline it fails");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aThrottledActionRunsOnceForABurst() {
    AtomicInteger runs = new AtomicInteger();
    Runnable warn = Stages.atMostEverySecond(runs::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      warn.run();
    }
    assertEquals(1, runs.get());
  }
}
