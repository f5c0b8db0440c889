package org.switchboard.engine.twiml.verb;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Validation shared by the verb records; failures are {@link IllegalArgumentException}s. */
final class Checks {

  private Checks() {}

  static int range(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static int atLeast(String what, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  static String nonBlank(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }

  static String maxLength(String what, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(
          what + " must be at most " + max + " characters, was " + value.length());
    }
    return value;
  }

  /** Every character of {@code value} is in {@code allowed}. */
  static String charset(String what, String value, String allowed) {
    for (int i = 0; i < value.length(); i++) {
      if (allowed.indexOf(value.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            what + " may only hold the characters " + allowed + ", was '" + value + "'");
      }
    }
    return value;
  }

  static <T> List<T> list(String what, List<T> value) {
    return List.copyOf(Objects.requireNonNull(value, what));
  }

  static <E extends Enum<E>> Set<E> set(String what, Collection<E> value) {
    return Set.copyOf(Objects.requireNonNull(value, what));
  }
}
