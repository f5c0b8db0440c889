package org.switchboard.http.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the API accepts as a party to call or to show as the caller, before anything is dialled.
 * Twilio's forms: a phone number (E.164 {@code +14155551212}; digits alone, {@code 1001}, are
 * dialled as written through the number template, for extensions and national numbers), {@code
 * client:identity} and a {@code sip:}/{@code sips:} URI. Anything else (spaces, control or
 * non-ASCII characters such as the replacement characters of {@code %ff%fe}, letters in a number)
 * is refused, since it would reach Asterisk as a garbage dial string.
 */
public final class DialTargets {
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{1,14}|[0-9]{2,15}");
  /** Twilio Client identities: letters, digits, underscore (we also allow . and -), ≤ 121. */
  private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9_.-]{1,121}");
  /** A SIP URI: the scheme, then printable ASCII without spaces, with a host part. */
  private static final Pattern SIP = Pattern.compile("(?i)sips?:[!-~]{1,500}");
  /** A caller ID that is not a number ("anonymous", "Restricted"): a short plain token. */
  private static final Pattern CALLER_TOKEN = Pattern.compile("[A-Za-z0-9_.+*#-]{1,64}");

  private DialTargets() {}

  /** A phone number: {@code +} and 2-15 digits (E.164), or 2-15 digits. */
  public static boolean isPhoneNumber(String value) {
    return PHONE.matcher(value).matches();
  }

  /** A client identity without its {@code client:} prefix. */
  public static boolean isClientIdentity(String value) {
    return IDENTITY.matcher(value).matches();
  }

  /** A {@code sip:} or {@code sips:} URI naming a host. */
  public static boolean isSipUri(String value) {
    if (!SIP.matcher(value).matches()) {
      return false;
    }
    String rest = value.substring(value.indexOf(':') + 1);
    int at = rest.indexOf('@');
    String host = at < 0 ? rest : rest.substring(at + 1);
    return !host.isEmpty() && (Character.isLetterOrDigit(host.charAt(0)) || host.charAt(0) == '[');
  }

  /** A {@code To} of Twilio's Calls resource: a phone number, {@code client:id} or a SIP URI. */
  public static boolean isCallTarget(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("client:")) {
      return isClientIdentity(value.substring("client:".length()));
    }
    if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
      return isSipUri(value);
    }
    return isPhoneNumber(value);
  }

  /** A caller ID: anything {@link #isCallTarget} accepts, or a short token like "anonymous". */
  public static boolean isCallerId(String value) {
    return isCallTarget(value) || CALLER_TOKEN.matcher(value).matches();
  }
}
