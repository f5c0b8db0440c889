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
 * spread evenly over the period's 1 ms slots, the timer runs only while someone listens, and a
 * late timer ticks nobody twice for a period it missed. The timer's task is run by hand, on a clock
 * of the test's own.
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

  private static final long SLOT = TimeUnit.MILLISECONDS.toNanos(1);

  private final CapturingScheduler scheduler = new CapturingScheduler();
  private final long[] now = {1_000_000_000L};
  private final ScheduledTickSource ticks = new ScheduledTickSource(scheduler, () -> now[0]);

  /** The timer's execution one slot later, on time. */
  private void runOnTime() {
    now[0] += SLOT;
    scheduler.task.run();
  }

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
        runOnTime();
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
      runOnTime();
    }
    assertEquals(1, ticked[0]);
  }

  /**
   * A timer stalled for 5 periods runs late: a fixed-rate timer then runs the 100 missed
   * executions back to back; each subscriber ticks once for the stall, not 5 times in a burst, and
   * then once per period again. Without the catch-up guard each would tick 5 times at once.
   */
  @Test
  void aStalledTimerTicksEachSubscriberOnceNotABurst() {
    int n = 40;
    int[] counts = new int[n];
    for (int i = 0; i < n; i++) {
      int k = i;
      ticks.subscribe(() -> counts[k]++);
    }
    for (int slot = 0; slot < ScheduledTickSource.PHASES; slot++) {
      runOnTime();
    }
    now[0] += 5 * ScheduledTickSource.PHASES * SLOT;
    for (int late = 0; late < 5 * ScheduledTickSource.PHASES; late++) {
      scheduler.task.run();
    }
    for (int i = 0; i < n; i++) {
      assertEquals(2, counts[i], "subscriber " + i + " after the stall");
    }
    // A timer a few slots late runs the slots that fell due, each once.
    now[0] += 3 * SLOT;
    scheduler.task.run();
    scheduler.task.run();
    scheduler.task.run();
    assertEquals(2 * n + 3 * n / ScheduledTickSource.PHASES, sum(counts));
    for (int slot = 0; slot < ScheduledTickSource.PHASES - 3; slot++) {
      runOnTime();
    }
    for (int i = 0; i < n; i++) {
      assertEquals(3, counts[i], "subscriber " + i + " one period later");
    }
  }

  private static int sum(int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    return total;
  }
}
