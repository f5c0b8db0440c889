package org.switchboard.engine.twiml.verb;

import java.util.Objects;

/**
 * {@code <Parameter name value/>}: a custom parameter of a {@link Stream} (sent in the
 * {@code start} message's {@code customParameters}) or a {@link Client}. Name and value each
 * under 500 characters.
 */
public record Parameter(String name, String value) {

  /** Longest name or value accepted. */
  public static final int MAX_LENGTH = 499;

  public Parameter {
    Checks.maxLength("Parameter name", Checks.nonBlank("Parameter name", name), MAX_LENGTH);
    Checks.maxLength("Parameter value", Objects.requireNonNull(value, "value"), MAX_LENGTH);
  }
}
