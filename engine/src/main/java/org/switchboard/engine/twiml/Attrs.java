package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.WireEnum;

/**
 * Typed access to one element's attributes. Every read marks the attribute as known; {@link
 * #finish} then reports the rest as ignored. A value that is present but blank counts as absent,
 * except through {@link #raw}. Bad values throw {@link TwimlException} at the element's position.
 */
final class Attrs {

  private final Element element;
  private final ReadContext context;
  private final Set<String> known = new HashSet<>();

  Attrs(Element element, ReadContext context) {
    this.element = element;
    this.context = context;
  }

  /** The value exactly as written (entities decoded), blank included. */
  Optional<String> raw(String name) {
    known.add(name);
    return Optional.ofNullable(element.attributes().get(name));
  }

  /** The trimmed value, empty when absent or blank. */
  Optional<String> string(String name) {
    return raw(name).map(String::trim).filter(v -> !v.isEmpty());
  }

  boolean bool(String name, boolean fallback) throws TwimlException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(name, value.get(), "true or false");
    };
  }

  OptionalInt integer(String name) throws TwimlException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.get()));
    } catch (NumberFormatException e) {
      throw invalid(name, value.get(), "an integer");
    }
  }

  int integer(String name, int fallback) throws TwimlException {
    return integer(name).orElse(fallback);
  }

  Method method(String name) throws TwimlException {
    return method(name, Method.POST);
  }

  Method method(String name, Method fallback) throws TwimlException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toUpperCase(Locale.ROOT)) {
      case "GET" -> Method.GET;
      case "POST" -> Method.POST;
      default -> throw invalid(name, value.get(), "GET or POST");
    };
  }

  /** A URL resolved against the document URL; empty when absent or blank. */
  Optional<URI> url(String name) throws TwimlException {
    Optional<String> value = string(name);
    return value.isEmpty() ? Optional.empty() : Optional.of(context.resolve(element, value.get()));
  }

  <E extends Enum<E> & WireEnum> E enumeration(String name, Class<E> type, E fallback)
      throws TwimlException {
    return enumeration(name, value -> WireEnum.fromWire(type, value), type, fallback);
  }

  /** An enum read with a custom parser (for values with aliases). */
  <E extends Enum<E> & WireEnum> E enumeration(
      String name, Function<String, Optional<E>> parser, Class<E> type, E fallback)
      throws TwimlException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return fallback;
    }
    Optional<E> parsed = parser.apply(value.get());
    if (parsed.isEmpty()) {
      throw invalid(name, value.get(), "one of " + wireValues(type));
    }
    return parsed.get();
  }

  /** A space-separated set of enum values (commas tolerated); {@code fallback} when absent. */
  <E extends Enum<E> & WireEnum> Set<E> enumSet(String name, Class<E> type, Set<E> fallback)
      throws TwimlException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return fallback;
    }
    Set<E> out = EnumSet.noneOf(type);
    for (String token : value.get().split("[\\s,]+")) {
      if (token.isEmpty()) {
        continue;
      }
      out.add(WireEnum.fromWire(type, token)
          .orElseThrow(() -> invalid(name, token, "values among " + wireValues(type))));
    }
    return out;
  }

  /** Attributes recognised by Twilio but not implemented: read them only to warn. */
  void unsupported(String... names) {
    for (String name : names) {
      if (raw(name).isPresent()) {
        context.warn(element, "attribute '" + name + "' on " + element.tag()
            + " is not supported and was ignored");
      }
    }
  }

  /** Warns about every attribute that was never read. */
  void finish() {
    for (String name : element.attributes().keySet()) {
      if (!known.contains(name)) {
        context.warn(element, "unknown attribute '" + name + "' on " + element.tag() + " ignored");
      }
    }
  }

  TwimlException invalid(String name, String value, String expected) {
    return new TwimlException(Kind.INVALID_VALUE, element.line(), element.column(),
        element.tag() + " attribute " + name + "=\"" + value + "\" is invalid: expected "
            + expected);
  }

  private static <E extends Enum<E> & WireEnum> String wireValues(Class<E> type) {
    StringBuilder sb = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(constant.wire());
    }
    return sb.toString();
  }
}
