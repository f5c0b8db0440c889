package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Refer><Sip>target</Sip></Refer>}: send a SIP REFER on a SIP leg and follow its NOTIFYs
 * (spec §4.18).
 *
 * @param action resolved {@code action}, if any
 * @param method default POST
 * @param sip the target SIP URI exactly as written (trimmed), headers in its query included
 */
public record Refer(Optional<URI> action, Method method, String sip) implements Verb {

  public Refer {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    Checks.nonBlank("Refer Sip", sip);
    String lower = sip.toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      throw new IllegalArgumentException("Refer Sip must start with sip: or sips:, was '" + sip + "'");
    }
  }
}
