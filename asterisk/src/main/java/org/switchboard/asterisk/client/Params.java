package org.switchboard.asterisk.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query parameters in order; null values are kept here and left out of the URL. */
final class Params {
  private Params() {}

  /** {@code of("a", 1, "b", null)}: alternating names and values. */
  static Map<String, Object> of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must pair up");
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      params.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return params;
  }

  /** ARI's comma-separated list form ({@code media=a,b}, {@code channel=x,y}). */
  static String list(List<String> values) {
    return String.join(",", values);
  }

  /** A positive number, or null (left out) for 0 and below. */
  static Integer positive(int value) {
    return value > 0 ? value : null;
  }
}
