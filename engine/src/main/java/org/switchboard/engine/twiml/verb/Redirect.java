package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;

/**
 * {@code <Redirect>}: fetch another document and run it instead of the rest of this one.
 *
 * @param url the body resolved against the document URL; an empty body is the document URL
 *     itself (re-request the current document)
 * @param method default POST
 */
public record Redirect(URI url, Method method) implements Verb {

  public Redirect {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
  }
}
