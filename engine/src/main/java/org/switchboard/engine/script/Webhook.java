package org.switchboard.engine.script;

import java.net.URI;
import java.util.Objects;
import org.switchboard.engine.twiml.verb.Method;

/** A URL with the method to request it with. */
public record Webhook(URI url, Method method) {
  public Webhook {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
  }
}
