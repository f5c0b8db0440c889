package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code statusCallback}, {@code statusCallbackMethod} and {@code statusCallbackEvent}
 * attributes of a Dial noun (Number, Sip, Client). Without a URL no callback is sent.
 *
 * @param url resolved callback URL, empty when absent
 * @param method default POST
 * @param events default {@code completed} only
 */
public record StatusCallback(Optional<URI> url, Method method, Set<CallEvent> events) {

  /** No callback. */
  public static final StatusCallback NONE =
      new StatusCallback(Optional.empty(), Method.POST, Set.of(CallEvent.COMPLETED));

  public StatusCallback {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    events = Checks.set("events", events);
  }
}
