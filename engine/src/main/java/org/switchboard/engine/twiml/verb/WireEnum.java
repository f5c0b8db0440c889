package org.switchboard.engine.twiml.verb;

import java.util.Optional;

/**
 * A closed TwiML value set: each constant carries the exact string written in the document.
 * Lookup is exact (TwiML values are case-sensitive) except where an enum documents aliases.
 */
public interface WireEnum {

  /** The value as written in TwiML, e.g. {@code record-from-answer}. */
  String wire();

  /** The constant of {@code type} whose {@link #wire()} equals {@code value}, if any. */
  static <E extends Enum<E> & WireEnum> Optional<E> fromWire(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wire().equals(value)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }

  /**
   * As {@link #fromWire}, with the boolean aliases of a {@code record} attribute: {@code true}
   * means {@code whenTrue}, {@code false} means {@code whenFalse}.
   */
  static <E extends Enum<E> & WireEnum> Optional<E> fromWireOrBoolean(Class<E> type, String value,
      E whenTrue, E whenFalse) {
    if ("true".equals(value)) {
      return Optional.of(whenTrue);
    }
    if ("false".equals(value)) {
      return Optional.of(whenFalse);
    }
    return fromWire(type, value);
  }
}
