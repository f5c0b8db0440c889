package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's notion of time. Everything the simulator does later (playback ends, answer
 * delays, dial timeouts, recording limits, RTP frames) is scheduled here, so a test can run the
 * simulator on a {@link #manual(Instant) manual} clock and {@link #advance(Duration) advance} it,
 * while a demo or a load test uses {@link #real() real} time.
 */
public abstract sealed class SimClock permits SimClock.Real, SimClock.Manual {

  /** A scheduled task that can be cancelled before it runs. */
  public interface Timer {
    /** Cancels the task; does nothing if it already ran. */
    void cancel();
  }

  /** A clock following the system clock; tasks run on one scheduler thread. */
  public static SimClock real() {
    return new Real();
  }

  /** A clock that only moves when {@link #advance(Duration)} is called. */
  public static SimClock manual(Instant start) {
    return new Manual(start);
  }

  /** The current simulated time. */
  public abstract Instant now();

  /** Runs {@code task} after {@code delay} (at once when the delay is zero or negative). */
  public abstract Timer schedule(Duration delay, Runnable task);

  /**
   * Moves a manual clock forward, running every task that falls due, in order of due time.
   *
   * @throws UnsupportedOperationException on a real clock
   */
  public abstract void advance(Duration by);

  /** True for a manual clock. */
  public abstract boolean isManual();

  /** Stops the clock's scheduler thread, if any. */
  public abstract void shutdown();

  static final class Real extends SimClock {
    private ScheduledExecutorService executor;

    private synchronized ScheduledExecutorService executor() {
      if (executor == null) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "ari-sim-clock");
          t.setDaemon(true);
          return t;
        });
      }
      return executor;
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
      ScheduledFuture<?> f =
          executor().schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void advance(Duration by) {
      throw new UnsupportedOperationException("advance() needs a manual clock");
    }

    @Override
    public boolean isManual() {
      return false;
    }

    @Override
    public synchronized void shutdown() {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  static final class Manual extends SimClock {
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private Instant now;

    Manual(Instant start) {
      this.now = start;
    }

    @Override
    public synchronized Instant now() {
      return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
      Entry e = new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay),
          sequence.incrementAndGet(), task);
      queue.add(e);
      return () -> e.cancelled = true;
    }

    @Override
    public void advance(Duration by) {
      Instant target;
      synchronized (this) {
        target = now.plus(by);
      }
      while (true) {
        Entry next;
        synchronized (this) {
          next = queue.peek();
          if (next == null || next.due.isAfter(target)) {
            now = target;
            return;
          }
          queue.poll();
          if (next.due.isAfter(now)) {
            now = next.due;
          }
        }
        if (!next.cancelled) {
          guard(next.task).run();
        }
      }
    }

    @Override
    public boolean isManual() {
      return true;
    }

    @Override
    public void shutdown() {
      synchronized (this) {
        queue.clear();
      }
    }

    private static final class Entry implements Comparable<Entry> {
      final Instant due;
      final long seq;
      final Runnable task;
      volatile boolean cancelled;

      Entry(Instant due, long seq, Runnable task) {
        this.due = due;
        this.seq = seq;
        this.task = task;
      }

      @Override
      public int compareTo(Entry o) {
        int c = due.compareTo(o.due);
        return c != 0 ? c : Long.compare(seq, o.seq);
      }
    }
  }

  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        System.getLogger(SimClock.class.getName())
            .log(System.Logger.Level.ERROR, "scheduled simulator task failed", e);
      }
    };
  }
}
