package org.switchboard.http.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link TickSource} the test advances by hand. */
final class ManualTicks implements TickSource {

  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();

  @Override
  public AutoCloseable subscribe(Runnable onTick) {
    subscribers.add(onTick);
    return () -> subscribers.remove(onTick);
  }

  /** One 20 ms tick. */
  void tick() {
    subscribers.forEach(Runnable::run);
  }

  int subscribers() {
    return subscribers.size();
  }
}
