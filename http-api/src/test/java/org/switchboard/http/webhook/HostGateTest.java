package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostGateTest {
  private static final String HOST = "http://127.0.0.1:1";
  private final AtomicInteger waits = new AtomicInteger();
  private final HostGate gate = new HostGate(1, waits::incrementAndGet);

  private static long in(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aFreeSlotIsGivenAtOnceAndHostsAreIndependent() {
    assertTrue(gate.acquire(HOST, in(1000)).isDone());
    assertTrue(gate.acquire("http://127.0.0.1:2", in(1000)).isDone());
    assertEquals(0, waits.get());
  }

  @Test
  void aWaiterWhoseDeadlinePassesLeavesTheQueueAndNeverGetsTheSlot() throws Exception {
    HostGate.Permit held = gate.acquire(HOST, in(1000)).get();
    CompletableFuture<HostGate.Permit> late = gate.acquire(HOST, in(50));
    ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertEquals(0, gate.waiting(), "the expired waiter left the queue");

    CompletableFuture<HostGate.Permit> next = gate.acquire(HOST, in(10_000));
    held.release();
    next.get(5, TimeUnit.SECONDS).release();
    assertTrue(gate.acquire(HOST, in(1000)).isDone(), "the slot is free again");
  }

  @Test
  void aFreedSlotGoesToTheOldestWaiterAndAReleaseCountsOnce() throws Exception {
    HostGate.Permit held = gate.acquire(HOST, in(10_000)).get();
    CompletableFuture<HostGate.Permit> first = gate.acquire(HOST, in(10_000));
    CompletableFuture<HostGate.Permit> second = gate.acquire(HOST, in(10_000));
    assertEquals(2, gate.waiting());
    held.release();
    held.release();
    assertTrue(first.isDone());
    assertFalse(second.isDone(), "a second release of the same permit frees nothing");
    first.get().release();
    second.get(5, TimeUnit.SECONDS).release();
  }

  @Test
  void aDeadlineAlreadyPassedFailsWithoutWaiting() throws Exception {
    HostGate.Permit held = gate.acquire(HOST, in(1000)).get();
    CompletableFuture<HostGate.Permit> none = gate.acquire(HOST, System.nanoTime() - 1);
    assertTrue(none.isCompletedExceptionally());
    assertEquals(0, gate.waiting());
    held.release();
  }
}
