package org.switchboard.engine.call;

import java.util.regex.Pattern;

/**
 * The one E.164 normalisation of Switchboard: the {@code From}/{@code To} of webhooks, the
 * routing of a dialled number to its application, and the number filters of the REST API all use
 * it, so {@code 15550009000}, {@code +15550009000}, {@code +1 (555) 000-9000} and {@code
 * 0015550009000} are one number.
 *
 * <p>Rules, after removing spaces, {@code ( ) . -} and a {@code tel:} prefix:
 *
 * <ul>
 *   <li>{@code +} then 7–15 digits (no leading 0) → itself;
 *   <li>{@code 00} then such digits (the international prefix outside North America) → {@code +}…;
 *   <li>11–15 bare digits with no leading 0 (how a {@code +1…} DID reaches a dialplan that drops
 *       the {@code +}) → {@code +}…;
 *   <li>with a default country code (none unless configured, {@code
 *       switchboard.numbers.default-country-code}): a national number — a single trunk {@code 0}
 *       then digits, or for country 1 exactly 10 digits — becomes {@code +<country><digits>}, and
 *       for country 1 {@code 011…} is international too;
 *   <li>anything else (extensions such as {@code 1000} or {@code s}, {@code anonymous}, SIP users,
 *       10 bare digits without a default country) is returned as given, trimmed: without a
 *       country no rule can tell {@code 5550009000} from an extension.
 * </ul>
 */
public final class PhoneNumbers {
  /** No default country: only international forms are normalised. */
  public static final PhoneNumbers INTERNATIONAL = new PhoneNumbers("");

  private static final Pattern PUNCTUATION = Pattern.compile("[\\s().-]");
  private static final Pattern SUBSCRIBER = Pattern.compile("[1-9]\\d{6,14}");
  private static final Pattern BARE_INTERNATIONAL = Pattern.compile("[1-9]\\d{10,14}");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private final String defaultCountryCode;

  private PhoneNumbers(String defaultCountryCode) {
    this.defaultCountryCode = defaultCountryCode;
  }

  /**
   * Numbers of the country with calling code {@code countryCode} ({@code "1"}, {@code "44"}, with
   * or without {@code +}); blank means {@link #INTERNATIONAL}.
   *
   * @throws IllegalArgumentException when it is not 1–3 digits
   */
  public static PhoneNumbers withDefaultCountry(String countryCode) {
    String cc = countryCode == null ? "" : countryCode.strip();
    if (cc.startsWith("+")) {
      cc = cc.substring(1);
    }
    if (cc.isEmpty()) {
      return INTERNATIONAL;
    }
    if (!cc.matches("[1-9]\\d{0,2}")) {
      throw new IllegalArgumentException("a country calling code is 1-3 digits, got '"
          + countryCode + "'");
    }
    return new PhoneNumbers(cc);
  }

  /** The default country code, empty when none. */
  public String defaultCountryCode() {
    return defaultCountryCode;
  }

  /** {@code raw} in E.164 when it is a phone number by the rules above, else {@code raw} trimmed. */
  public String e164(String raw) {
    if (raw == null) {
      return "";
    }
    String trimmed = raw.strip();
    String compact = PUNCTUATION.matcher(trimmed).replaceAll("");
    if (compact.regionMatches(true, 0, "tel:", 0, 4)) {
      compact = compact.substring(4);
    }
    String digits = international(compact);
    if (digits != null) {
      return SUBSCRIBER.matcher(digits).matches() ? "+" + digits : trimmed;
    }
    if (!defaultCountryCode.isEmpty() && DIGITS.matcher(compact).matches()) {
      String national = national(compact);
      if (national != null) {
        return "+" + defaultCountryCode + national;
      }
    }
    return trimmed;
  }

  /** The digits after an international prefix, or null when {@code compact} has none. */
  private String international(String compact) {
    if (compact.startsWith("+")) {
      return compact.substring(1);
    }
    if (compact.startsWith("00")) {
      return compact.substring(2);
    }
    if (defaultCountryCode.equals("1") && compact.startsWith("011")) {
      return compact.substring(3);
    }
    if (BARE_INTERNATIONAL.matcher(compact).matches()) {
      return compact;
    }
    return null;
  }

  /** The national significant number of a national form, or null. */
  private String national(String digits) {
    if (defaultCountryCode.equals("1")) {
      return digits.length() == 10 && digits.charAt(0) >= '2' ? digits : null;
    }
    if (digits.startsWith("0") && !digits.startsWith("00") && digits.length() >= 7) {
      return digits.substring(1);
    }
    return null;
  }

  @Override
  public String toString() {
    return defaultCountryCode.isEmpty() ? "PhoneNumbers[international]"
        : "PhoneNumbers[+" + defaultCountryCode + "]";
  }
}
