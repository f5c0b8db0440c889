package org.switchboard.http.stream;

/** Receives a stream's {@link StreamEvent}s (the engine turns them into status callbacks). */
@FunctionalInterface
public interface StreamListener {

  /** Called once per event, from any thread; must not block. */
  void onEvent(StreamEvent event);
}
