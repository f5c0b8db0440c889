package org.switchboard.engine.call;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which application handles an inbound call, by the number dialled. */
public interface ApplicationDirectory {

  /** The application for {@code dialedNumber} (the channel's dialplan extension). */
  VoiceApplication applicationFor(String dialedNumber);

  /**
   * The {@code To} of an inbound call to {@code dialedNumber}: the number in E.164 when it is one
   * ({@link PhoneNumbers#INTERNATIONAL}), else as dialled.
   */
  default String calledNumber(String dialedNumber) {
    return CallParams.e164(dialedNumber);
  }

  /** Every number goes to {@code application}. */
  static ApplicationDirectory fixed(VoiceApplication application) {
    Objects.requireNonNull(application, "application");
    return number -> application;
  }

  /**
   * Numbers listed in {@code byNumber} go to their application, others to {@code fallback}; a
   * number matches in any form {@link PhoneNumbers#INTERNATIONAL} normalises alike.
   */
  static ApplicationDirectory of(Map<String, VoiceApplication> byNumber, VoiceApplication fallback) {
    return of(byNumber, fallback, PhoneNumbers.INTERNATIONAL, Optional.empty());
  }

  /**
   * Numbers listed in {@code byNumber} go to their application, others to {@code fallback}. Keys
   * and dialled numbers are compared after {@code numbers} normalised them, so {@code 15550009000}
   * dialled reaches the application of {@code "+15550009000"}. A dialled extension that is not a
   * phone number gets {@code hotlineNumber} as its {@code To} when there is one.
   */
  static ApplicationDirectory of(Map<String, VoiceApplication> byNumber, VoiceApplication fallback,
      PhoneNumbers numbers, Optional<String> hotlineNumber) {
    Objects.requireNonNull(fallback, "fallback");
    Map<String, VoiceApplication> normalised = new HashMap<>();
    byNumber.forEach((number, app) -> normalised.put(numbers.e164(number), app));
    Optional<String> hotline = hotlineNumber.map(numbers::e164);
    return new ApplicationDirectory() {
      @Override
      public VoiceApplication applicationFor(String dialedNumber) {
        return normalised.getOrDefault(numbers.e164(dialedNumber), fallback);
      }

      @Override
      public String calledNumber(String dialedNumber) {
        String number = numbers.e164(dialedNumber);
        return number.startsWith("+") || hotline.isEmpty() ? number : hotline.get();
      }
    };
  }
}
