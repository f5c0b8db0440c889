package org.switchboard.engine.call;

import java.util.Map;
import java.util.Objects;

/** Which application handles an inbound call, by the number dialled. */
public interface ApplicationDirectory {

  /** The application for {@code dialedNumber} (the channel's dialplan extension). */
  VoiceApplication applicationFor(String dialedNumber);

  /** Every number goes to {@code application}. */
  static ApplicationDirectory fixed(VoiceApplication application) {
    Objects.requireNonNull(application, "application");
    return number -> application;
  }

  /** Numbers listed in {@code byNumber} go to their application, others to {@code fallback}. */
  static ApplicationDirectory of(Map<String, VoiceApplication> byNumber, VoiceApplication fallback) {
    Map<String, VoiceApplication> copy = Map.copyOf(byNumber);
    Objects.requireNonNull(fallback, "fallback");
    return number -> copy.getOrDefault(number, fallback);
  }
}
