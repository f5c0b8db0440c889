package org.switchboard.http.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parameters of a Twilio request: the query string plus an {@code x-www-form-urlencoded} body, in
 * order, multi-valued (e.g. {@code StatusCallbackEvent}). Names are case-sensitive as in Twilio.
 */
public final class TwilioForm {
  private final Map<String, List<String>> values;

  private TwilioForm(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parses a raw query (may be null) and a form body (may be empty). */
  public static TwilioForm parse(String rawQuery, String body) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    add(values, rawQuery);
    add(values, body);
    return new TwilioForm(values);
  }

  private static void add(Map<String, List<String>> values, String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "malformed form encoding");
    }
  }

  /** This form with {@code name} set to {@code value} alone. */
  public TwilioForm with(String name, String value) {
    Map<String, List<String>> copy = new LinkedHashMap<>(values);
    copy.put(name, List.of(value));
    return new TwilioForm(copy);
  }

  /** The first non-blank value of {@code name}, trimmed. */
  public Optional<String> first(String name) {
    return values.getOrDefault(name, List.of()).stream()
        .map(String::trim).filter(v -> !v.isEmpty()).findFirst();
  }

  /** Every value of {@code name}, each split on spaces and commas (Twilio accepts both forms). */
  public List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (String value : values.getOrDefault(name, List.of())) {
      for (String part : value.trim().split("[\\s,]+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    return out;
  }

  /** An HTTP method parameter: GET or POST (default {@code fallback}), else error 21209. */
  public String method(String name, String fallback) {
    Optional<String> value = first(name);
    if (value.isEmpty()) {
      return fallback;
    }
    String upper = value.get().toUpperCase(Locale.ROOT);
    if (!upper.equals("GET") && !upper.equals("POST")) {
      throw TwilioError.bad(TwilioError.INVALID_METHOD,
          name + " must be GET or POST, not '" + value.get() + "'");
    }
    return upper;
  }

  /** A boolean parameter ({@code true}/{@code false}, case-insensitive). */
  public boolean bool(String name, boolean fallback, int errorCode) {
    Optional<String> value = first(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw TwilioError.bad(errorCode, name + " must be true or false");
    };
  }
}
