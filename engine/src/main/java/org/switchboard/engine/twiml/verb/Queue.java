package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Queue>} noun of {@code <Dial>}: bridge to the caller at the front of a queue, waiting
 * (up to the Dial timeout) for one if it is empty.
 *
 * @param name queue name, ≤ {@link Enqueue#MAX_NAME_LENGTH} characters
 * @param url resolved TwiML run on the dequeued caller before bridging, if any
 * @param method method for {@code url}, default POST
 */
public record Queue(String name, Optional<URI> url, Method method) implements Dial.Noun {

  public Queue {
    Checks.maxLength("Queue name", Checks.nonBlank("Queue name", name), Enqueue.MAX_NAME_LENGTH);
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
  }
}
