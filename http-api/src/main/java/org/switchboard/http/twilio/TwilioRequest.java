package org.switchboard.http.twilio;

import java.util.List;
import java.util.Locale;

/**
 * A Twilio REST request after authentication: its method, the path segments after {@code
 * /Accounts/{AccountSid}/} (the last one without its suffix), the suffix ({@code json}, {@code
 * wav}, {@code mp3} or empty), the parameters and the full path for messages.
 */
record TwilioRequest(
    String method, List<String> segments, String suffix, TwilioForm params, String path) {

  /** Splits {@code rest} ({@code /Calls/CA….json}) into segments and a suffix. */
  static TwilioRequest of(String method, String rest, TwilioForm params, String fullPath) {
    List<String> parts = java.util.Arrays.stream(rest.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    String suffix = "";
    if (!parts.isEmpty()) {
      String last = parts.get(parts.size() - 1);
      int dot = last.lastIndexOf('.');
      if (dot > 0) {
        String candidate = last.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (candidate.equals("json") || candidate.equals("wav") || candidate.equals("mp3")) {
          suffix = candidate;
          parts.set(parts.size() - 1, last.substring(0, dot));
        }
      }
    }
    return new TwilioRequest(method, List.copyOf(parts), suffix, params, fullPath);
  }

  /** True when the path has these fixed names, {@code null} matching any segment. */
  boolean matches(String... pattern) {
    if (pattern.length != segments.size()) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i] != null && !pattern[i].equals(segments.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The i-th segment. */
  String segment(int i) {
    return segments.get(i);
  }

  /** True for JSON representations (suffix {@code .json} or none). */
  boolean wantsJson() {
    return suffix.isEmpty() || suffix.equals("json");
  }
}
