package org.switchboard.asterisk.client;

import java.nio.charset.StandardCharsets;

/**
 * Table-driven percent-encoding (UTF-8, upper-case hex), without a regex, a {@code String.format}
 * or a parse per value. Three flavours, each byte for byte what it replaces:
 *
 * <ul>
 *   <li>{@link #appendForm}: {@link java.net.URLEncoder} (ASCII letters, digits and {@code . - *
 *       _} stay, a space is {@code +});
 *   <li>{@link #component}: the same with {@code %20} for a space (ARI path segments);
 *   <li>{@link #appendQueryParam}: a query name or value as Pekko renders a {@code Query} (also
 *       keeps {@code ~ ! $ ' ( ) , : @ / ?}, a space is {@code +}).
 * </ul>
 */
public final class UriEncoding {
  private static final boolean[] FORM_SAFE = table("");
  private static final boolean[] QUERY_SAFE = table("~!$'(),:@/?");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {}

  private static boolean[] table(String moreSafe) {
    boolean[] safe = new boolean[128];
    for (char c = 'a'; c <= 'z'; c++) {
      safe[c] = true;
      safe[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      safe[c] = true;
    }
    for (char c : (".-*_" + moreSafe).toCharArray()) {
      safe[c] = true;
    }
    return safe;
  }

  /** {@code value} as a URI component: a space becomes {@code %20}. */
  public static String component(String value) {
    int first = firstToEncode(value);
    if (first == value.length()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, first);
    encode(out, value, first, FORM_SAFE, false);
    return out.toString();
  }

  /** Appends {@code value} form-encoded ({@code +} for a space). */
  public static void appendForm(StringBuilder out, String value) {
    encode(out, value, 0, FORM_SAFE, true);
  }

  /** Appends a query parameter name or value as Pekko renders it ({@code +} for a space). */
  public static void appendQueryParam(StringBuilder out, String value) {
    encode(out, value, 0, QUERY_SAFE, true);
  }

  private static int firstToEncode(String value) {
    int i = 0;
    while (i < value.length() && value.charAt(i) < 128 && FORM_SAFE[value.charAt(i)]) {
      i++;
    }
    return i;
  }

  private static void encode(
      StringBuilder out, String value, int from, boolean[] safe, boolean spaceAsPlus) {
    int n = value.length();
    int i = from;
    while (i < n) {
      char c = value.charAt(i);
      if (c < 128) {
        if (safe[c]) {
          out.append(c);
        } else if (c == ' ' && spaceAsPlus) {
          out.append('+');
        } else {
          percent(out, c);
        }
        i++;
      } else {
        // A run of non-ASCII characters encodes together, so surrogate pairs stay whole (a lone
        // surrogate becomes '?', %3F, as in URLEncoder).
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
