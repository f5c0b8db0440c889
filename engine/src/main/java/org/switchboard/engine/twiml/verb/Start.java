package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Start><Stream>}: fork the call's audio to a WebSocket and go on with the next verb at
 * once. The stream runs until {@code <Stop>} names it or the call ends.
 *
 * @param action resolved {@code action}, if any: in Twilio's SDK only, with no documented
 *     behaviour, so it is read and never requested (http-api/API.md)
 * @param method default POST
 * @param stream the Stream noun
 */
public record Start(Optional<URI> action, Method method, Stream stream) implements Verb {

  public Start {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(stream, "stream");
  }
}
