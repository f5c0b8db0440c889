package org.switchboard.http;

import java.util.function.Consumer;

/**
 * Stop signals handled by the process itself instead of the JVM's default (exit 128+n after the
 * shutdown hooks): the handler can stop things in order and choose the exit status.
 */
public final class StopSignals {
  private StopSignals() {}

  /**
   * Runs {@code onSignal} with the signal's name ({@code TERM}, {@code INT}) on a thread of its
   * own when one of {@code names} arrives. Returns false, after one line on standard error, where
   * a signal cannot be handled (a JVM that reserves it).
   */
  public static boolean handle(Consumer<String> onSignal, String... names) {
    boolean all = true;
    for (String name : names) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.accept(name));
      } catch (IllegalArgumentException e) {
        System.err.println("SIG" + name + " cannot be handled here (" + e.getMessage() + ")");
        all = false;
      }
    }
    return all;
  }
}
