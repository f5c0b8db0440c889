package org.switchboard.http.api;

import java.util.Optional;
import org.switchboard.http.api.CallModel.RingTarget;

/**
 * Reads the Asterisk dial strings the bridge's {@code /command ring} sends back into ring targets,
 * by the templates Switchboard dials with ({@code switchboard.dial.number-template}, e.g. {@code
 * PJSIP/{number}@trunk}, and {@code client-template}, e.g. {@code PJSIP/{identity}}). Only what
 * the templates produce is accepted, so a signed request cannot make Switchboard dial an arbitrary
 * channel technology ({@code Local/…}, another trunk).
 */
public final class DialEndpoints {
  private final String numberTemplate;
  private final String clientTemplate;

  public DialEndpoints(String numberTemplate, String clientTemplate) {
    this.numberTemplate = numberTemplate;
    this.clientTemplate = clientTemplate;
  }

  /** From the dial templates of {@code settings}. */
  public static DialEndpoints of(SeedSettings settings) {
    return new DialEndpoints(settings.numberTemplate(), settings.clientTemplate());
  }

  /**
   * The target {@code endpoint} rings: a number (by the number template, or a bare E.164 or
   * digits number), a browser identity (by the client template, or {@code client:id}) or a
   * {@code sip:} URI; anything else is an invalid-parameter error.
   */
  public RingTarget target(String id, String endpoint) {
    String e = endpoint.trim();
    Optional<String> number = match(numberTemplate, "{number}", e)
        .filter(DialTargets::isPhoneNumber);
    if (number.isPresent()) {
      return new RingTarget(id, number, Optional.empty(), Optional.empty());
    }
    Optional<String> identity = match(clientTemplate, "{identity}", e)
        .filter(DialTargets::isClientIdentity);
    if (identity.isPresent()) {
      return new RingTarget(id, Optional.empty(), Optional.empty(), identity);
    }
    if (DialTargets.isPhoneNumber(e)) {
      return new RingTarget(id, Optional.of(e), Optional.empty(), Optional.empty());
    }
    if (e.regionMatches(true, 0, "client:", 0, 7)
        && DialTargets.isClientIdentity(e.substring(7))) {
      return new RingTarget(id, Optional.empty(), Optional.empty(), Optional.of(e.substring(7)));
    }
    if (DialTargets.isSipUri(e)) {
      return new RingTarget(id, Optional.empty(), Optional.of(e), Optional.empty());
    }
    throw ApiException.invalidParameter("endpoint must be " + numberTemplate + " or "
        + clientTemplate + " (or a phone number, client:identity or sip: URI)");
  }

  /** The part of {@code value} standing for {@code placeholder} in {@code template}. */
  private static Optional<String> match(String template, String placeholder, String value) {
    int at = template.indexOf(placeholder);
    if (at < 0) {
      return Optional.empty();
    }
    String prefix = template.substring(0, at);
    String suffix = template.substring(at + placeholder.length());
    if (value.length() <= prefix.length() + suffix.length()
        || !value.startsWith(prefix) || !value.endsWith(suffix)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(prefix.length(), value.length() - suffix.length()));
  }
}
