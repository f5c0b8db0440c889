package org.switchboard.engine.twiml.verb;

import java.util.Locale;

/**
 * How Twilio spells the values of its enumerations ({@code CallStatus}, {@code QueueResult}…): the
 * constant's name in lower case, words joined by {@code -} ({@code NO_ANSWER} → {@code
 * no-answer}).
 */
final class TwilioSpelling {
  private TwilioSpelling() {}

  /** The Twilio spelling of {@code value}. */
  static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
