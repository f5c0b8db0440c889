package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One timer for every stream: each subscriber ticks once per 20 ms period, the subscribers are
 * spread evenly over the period's 1 ms slots, and the timer runs only while someone listens. The
 * timer's task is run by hand.
 */
class ScheduledTickSourceTest {

  /** Captures the 1 ms task instead of running it. */
  private static final class CapturingScheduler extends ScheduledThreadPoolExecutor {
    volatile Runnable task;
    volatile long periodNanos;
    volatile ScheduledFuture<?> future;

    CapturingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
        long period, TimeUnit unit) {
      task = command;
      periodNanos = unit.toNanos(period);
      future = schedule(() -> { }, 1, TimeUnit.DAYS);
      return future;
    }
  }

  private final CapturingScheduler scheduler = new CapturingScheduler();
  private final ScheduledTickSource ticks = new ScheduledTickSource(scheduler);

  @AfterEach
  void tearDown() {
    ticks.close();
  }

  @Test
  void everySubscriberTicksOncePerPeriodSpreadOverTheSlots() throws Exception {
    int n = 50;
    int[] counts = new int[n];
    AutoCloseable[] handles = new AutoCloseable[n];
    for (int i = 0; i < n; i++) {
      int k = i;
      handles[i] = ticks.subscribe(() -> counts[k]++);
    }
    assertNotNull(scheduler.task, "the timer started with the first subscriber");
    assertEquals(TimeUnit.MILLISECONDS.toNanos(20) / ScheduledTickSource.PHASES,
        scheduler.periodNanos);
    int busiestSlot = 0;
    for (int period = 0; period < 3; period++) {
      for (int slot = 0; slot < ScheduledTickSource.PHASES; slot++) {
        int before = sum(counts);
        scheduler.task.run();
        busiestSlot = Math.max(busiestSlot, sum(counts) - before);
      }
      for (int i = 0; i < n; i++) {
        assertEquals(period + 1, counts[i], "subscriber " + i + " after period " + period);
      }
    }
    assertEquals((n + ScheduledTickSource.PHASES - 1) / ScheduledTickSource.PHASES, busiestSlot,
        "50 subscribers over 20 slots: at most 3 tick together");

    for (AutoCloseable handle : handles) {
      handle.close();
    }
    assertTrue(scheduler.future.isCancelled(), "the timer stops with the last subscriber");
    scheduler.task = null;
    ticks.subscribe(() -> { });
    assertNotNull(scheduler.task, "and starts again with the next one");
  }

  @Test
  void aFailingSubscriberDoesNotStopTheOthers() throws Exception {
    int[] ticked = new int[1];
    for (int i = 0; i < ScheduledTickSource.PHASES; i++) {
      ticks.subscribe(() -> {
        throw new IllegalStateException("broken stream");
      });
    }
    ticks.subscribe(() -> ticked[0]++);
    for (int slot = 0; slot < ScheduledTickSource.PHASES; slot++) {
      scheduler.task.run();
    }
    assertEquals(1, ticked[0]);
  }

  private static int sum(int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    return total;
  }
}
