package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Connect><Stream>}: a bidirectional media stream. The verbs after it run only when the
 * application closes the WebSocket; then {@code action} is requested if given.
 *
 * @param action resolved {@code action}, if any; without it the next verb runs
 * @param method default POST
 * @param stream the one Stream noun (only {@code inbound_track} is allowed here)
 */
public record Connect(Optional<URI> action, Method method, Stream stream) implements Verb {

  public Connect {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(stream, "stream");
    if (stream.track() != Stream.Track.INBOUND_TRACK) {
      throw new IllegalArgumentException("Connect Stream allows only track=\"inbound_track\"");
    }
  }
}
