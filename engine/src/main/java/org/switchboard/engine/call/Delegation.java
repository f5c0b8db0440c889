package org.switchboard.engine.call;

/**
 * A running delegate of a call (a dial session, a queue membership, a media stream). The call
 * stops it when the call ends, is redirected, or leaves the queue.
 */
@FunctionalInterface
public interface Delegation {

  /** Stops the delegate; {@code reason} is e.g. {@code hangup}, {@code leave}, {@code redirected}. */
  void stop(String reason);

  /** A delegation with nothing to stop. */
  Delegation NONE = reason -> {};
}
