package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An ARI error answer: the status and body Asterisk would send. */
final class AriError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final transient ObjectNode body;

  private AriError(int status, ObjectNode body) {
    super(status + " " + body);
    this.status = status;
    this.body = body;
  }

  /** {@code {"message": text}} with the given status. */
  static AriError of(int status, String text) {
    return new AriError(status, AriJson.message(text));
  }

  /** Originate allocation failures use the {@code error} key. */
  static AriError allocationFailed() {
    return new AriError(500, AriJson.object().put("error", "Allocation failed"));
  }

  static AriError channelNotFound() {
    return of(404, "Channel not found");
  }

  static AriError notInStasis() {
    return of(409, "Channel not in Stasis application");
  }
}
