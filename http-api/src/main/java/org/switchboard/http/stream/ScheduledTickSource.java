package org.switchboard.http.stream;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link TickSource} on a scheduled executor, ticking at a fixed 20 ms rate. */
public final class ScheduledTickSource implements TickSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScheduledTickSource.class);

  private final ScheduledExecutorService scheduler;

  /** A tick source with its own scheduler thread. */
  public ScheduledTickSource() {
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "media-stream-ticks");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public AutoCloseable subscribe(Runnable onTick) {
    ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(() -> {
      try {
        onTick.run();
      } catch (RuntimeException e) {
        log.warn("media stream tick failed", e);
      }
    }, 20, 20, TimeUnit.MILLISECONDS);
    return () -> task.cancel(false);
  }

  /** Stops the scheduler. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
