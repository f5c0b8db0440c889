package org.switchboard.engine.port;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong behind the wrappers futures add. */
public final class Failures {
  private Failures() {}

  /**
   * {@code error} without its {@link CompletionException} / {@link ExecutionException} wrappers:
   * the exception a port or a client actually threw.
   */
  public static Throwable cause(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
