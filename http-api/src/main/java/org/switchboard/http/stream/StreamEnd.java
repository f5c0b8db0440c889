package org.switchboard.http.stream;

import java.util.Optional;

/**
 * How a stream ended.
 *
 * @param reason why
 * @param error what went wrong, for {@link Reason#ERROR}
 */
public record StreamEnd(Reason reason, Optional<String> error) {

  /** Why a stream ended. */
  public enum Reason {
    /** The application closed the WebSocket (a {@code <Connect>}'s action runs next). */
    APP_CLOSED,
    /** {@link MediaStreamSession#stop()} was called. */
    STOPPED,
    /** The socket could not be opened or failed. */
    ERROR
  }
}
