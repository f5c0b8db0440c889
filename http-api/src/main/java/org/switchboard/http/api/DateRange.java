package org.switchboard.http.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A range of instants a list is filtered on (Twilio's {@code StartTime>}, {@code DateCreated<}
 * …), both ends inclusive; an empty end is open. A resource without the date (a call that has not
 * ended, for {@code EndTime}) is outside every range but {@link #ANY}.
 */
public record DateRange(Optional<Instant> from, Optional<Instant> to) {
  /** No filter. */
  public static final DateRange ANY = new DateRange(Optional.empty(), Optional.empty());

  /** Whether {@code at} lies in the range. */
  public boolean contains(Optional<Instant> at) {
    if (from.isEmpty() && to.isEmpty()) {
      return true;
    }
    return at.filter(t -> from.map(f -> !t.isBefore(f)).orElse(true)
        && to.map(u -> !t.isAfter(u)).orElse(true)).isPresent();
  }
}
