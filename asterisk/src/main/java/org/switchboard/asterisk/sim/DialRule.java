package org.switchboard.asterisk.sim;

import java.util.regex.Pattern;

/**
 * Maps dial strings to a far-end behaviour. The pattern is a glob ({@code *} any run, {@code ?} one
 * character) matched against the whole endpoint (e.g. {@code PJSIP/+1555*@trunk}), or a regular
 * expression when prefixed with {@code re:}.
 *
 * @param pattern the glob or {@code re:}-prefixed regex
 * @param behaviour what the far end does
 */
public record DialRule(String pattern, DialBehaviour behaviour) {

  /** Validates the pattern. */
  public DialRule {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("dial rule pattern is empty");
    }
    if (behaviour == null) {
      throw new IllegalArgumentException("dial rule behaviour is missing");
    }
    compile(pattern);
  }

  /** True when the endpoint matches this rule. */
  public boolean matches(String endpoint) {
    return compile(pattern).matcher(endpoint).matches();
  }

  private static Pattern compile(String pattern) {
    if (pattern.startsWith("re:")) {
      return Pattern.compile(pattern.substring(3));
    }
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }
}
