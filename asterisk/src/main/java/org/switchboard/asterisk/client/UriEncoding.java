package org.switchboard.asterisk.client;

import java.nio.charset.StandardCharsets;

/**
 * Table-driven percent-encoding (UTF-8), byte for byte what {@link java.net.URLEncoder} produces:
 * ASCII letters, digits and {@code . - * _} stay, everything else becomes {@code %XX} (upper-case
 * hex). A space is {@code +} in form encoding and {@code %20} in a URI component (a path segment
 * or a query value), where {@code +} could be read back as a literal plus.
 */
public final class UriEncoding {
  private static final boolean[] UNRESERVED = new boolean[128];
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c : ".-*_".toCharArray()) {
      UNRESERVED[c] = true;
    }
  }

  private UriEncoding() {}

  /** {@code value} as a URI component: a space becomes {@code %20}. */
  public static String component(String value) {
    int first = firstToEncode(value);
    if (first == value.length()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, first);
    encode(out, value, first, false);
    return out.toString();
  }

  /** Appends {@code value} as a URI component ({@code %20} for a space). */
  public static void appendComponent(StringBuilder out, String value) {
    encode(out, value, 0, false);
  }

  /** Appends {@code value} form-encoded ({@code +} for a space). */
  public static void appendForm(StringBuilder out, String value) {
    encode(out, value, 0, true);
  }

  private static int firstToEncode(String value) {
    int i = 0;
    while (i < value.length() && isUnreserved(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isUnreserved(char c) {
    return c < 128 && UNRESERVED[c];
  }

  private static void encode(StringBuilder out, String value, int from, boolean spaceAsPlus) {
    int n = value.length();
    int i = from;
    while (i < n) {
      char c = value.charAt(i);
      if (c < 128) {
        if (UNRESERVED[c]) {
          out.append(c);
        } else if (c == ' ' && spaceAsPlus) {
          out.append('+');
        } else {
          percent(out, c);
        }
        i++;
      } else {
        // A run of non-ASCII characters encodes together, so surrogate pairs stay whole and a
        // lone surrogate becomes '?' (%3F) as URLEncoder does.
        int end = i + 1;
        while (end < n && value.charAt(end) >= 128) {
          end++;
        }
        for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          percent(out, b & 0xFF);
        }
        i = end;
      }
    }
  }

  private static void percent(StringBuilder out, int octet) {
    out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
  }
}
