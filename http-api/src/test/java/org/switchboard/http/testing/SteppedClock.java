package org.switchboard.http.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A clock tests move forward: frozen at an instant, or following system time plus an offset. */
public final class SteppedClock extends Clock {
  private final Supplier<Instant> base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  private SteppedClock(Supplier<Instant> base) {
    this.base = base;
  }

  /** Stands still at {@code start} until {@link #advance} moves it. */
  public static SteppedClock at(Instant start) {
    return new SteppedClock(() -> start);
  }

  /** Runs with the system clock; {@link #advance} jumps it ahead (simulated time for a node). */
  public static SteppedClock followingSystemTime() {
    return new SteppedClock(Instant::now);
  }

  public void advance(Duration by) {
    offset.updateAndGet(o -> o.plus(by));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return base.get().plus(offset.get());
  }
}
