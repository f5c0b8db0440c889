package org.switchboard.http.stream;

/** The 20 ms clock that paces audio sent to Asterisk; injectable so tests tick by hand. */
public interface TickSource {

  /** Calls {@code onTick} every 20 ms until the returned handle is closed. */
  AutoCloseable subscribe(Runnable onTick);
}
