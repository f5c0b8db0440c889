package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code <Enqueue>}: put the caller in a named queue (created on demand) and run the wait URL in
 * a loop until a {@code <Dial><Queue>} takes them, they {@code <Leave>} or hang up (spec §4.10).
 *
 * @param name queue name (body), ≤ {@link #MAX_NAME_LENGTH} characters
 * @param action resolved {@code action}, if any; without it the script continues after the
 *     Enqueue when the caller leaves the queue
 * @param method default POST
 * @param waitUrl hold TwiML or audio; default music when absent
 * @param waitUrlMethod default POST, or GET when {@code waitUrl} is absent
 * @param maxQueueSize queue capacity for this caller, ≥ 1; empty: the configured default
 */
public record Enqueue(
    String name,
    Optional<URI> action,
    Method method,
    WaitUrl waitUrl,
    Method waitUrlMethod,
    OptionalInt maxQueueSize)
    implements Verb {

  public static final int MAX_NAME_LENGTH = 64;

  public Enqueue {
    Checks.maxLength("Enqueue queue name", Checks.nonBlank("Enqueue queue name", name), MAX_NAME_LENGTH);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(waitUrl, "waitUrl");
    Objects.requireNonNull(waitUrlMethod, "waitUrlMethod");
    Objects.requireNonNull(maxQueueSize, "maxQueueSize");
    maxQueueSize.ifPresent(n -> Checks.atLeast("Enqueue maxQueueSize", n, 1));
  }
}
