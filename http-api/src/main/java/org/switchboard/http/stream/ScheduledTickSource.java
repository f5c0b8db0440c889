package org.switchboard.http.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TickSource} driving every subscriber from one timer: the 20 ms period is cut into
 * {@link #PHASES} slots of 1 ms, each subscriber is placed in the slot holding the fewest, and
 * one task running every millisecond ticks the subscribers of the current slot. So 2,000 streams
 * cost one timer (not 2,000 scheduled tasks), and their RTP leaves spread over the period rather
 * than in one burst. The timer runs only while someone is subscribed.
 */
public final class ScheduledTickSource implements TickSource, AutoCloseable {

  /** Slots per 20 ms period. */
  static final int PHASES = 20;

  private static final Logger log = LoggerFactory.getLogger(ScheduledTickSource.class);

  private final ScheduledExecutorService scheduler;
  private final List<List<Runnable>> slots = new ArrayList<>(PHASES);
  private final Object lock = new Object();
  private int subscribers;
  private int phase;
  private ScheduledFuture<?> timer;

  /** A tick source with its own scheduler thread. */
  public ScheduledTickSource() {
    this(Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "media-stream-ticks");
      t.setDaemon(true);
      return t;
    }));
  }

  /** A tick source on {@code scheduler} (one thread: the slots are not thread-safe). */
  ScheduledTickSource(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    for (int i = 0; i < PHASES; i++) {
      slots.add(new CopyOnWriteArrayList<>());
    }
  }

  @Override
  public AutoCloseable subscribe(Runnable onTick) {
    List<Runnable> slot;
    synchronized (lock) {
      slot = slots.get(0);
      for (List<Runnable> s : slots) {
        if (s.size() < slot.size()) {
          slot = s;
        }
      }
      slot.add(onTick);
      if (subscribers++ == 0) {
        long slotNanos = TimeUnit.MILLISECONDS.toNanos(20) / PHASES;
        timer = scheduler.scheduleAtFixedRate(this::tick, slotNanos, slotNanos,
            TimeUnit.NANOSECONDS);
      }
    }
    List<Runnable> mine = slot;
    return () -> {
      synchronized (lock) {
        if (mine.remove(onTick) && --subscribers == 0) {
          timer.cancel(false);
          timer = null;
        }
      }
    };
  }

  /** Runs on the scheduler thread only. */
  private void tick() {
    List<Runnable> slot = slots.get(phase);
    phase = (phase + 1) % PHASES;
    for (Runnable onTick : slot) {
      try {
        onTick.run();
      } catch (RuntimeException e) {
        log.warn("media stream tick failed", e);
      }
    }
  }

  /** Stops the scheduler. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
