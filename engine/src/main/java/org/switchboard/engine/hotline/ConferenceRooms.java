package org.switchboard.engine.hotline;

import java.util.Optional;
import org.apache.pekko.actor.typed.RecipientRef;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.conference.Conferences;

/** The conference rooms a call can dial into, by name. */
@FunctionalInterface
public interface ConferenceRooms {

  /** The room {@code name}, or empty when conferences are not available. */
  Optional<RecipientRef<ConferenceActor.Command>> room(String name);

  /** No conferences: every {@code <Dial><Conference>} ends {@code failed}. */
  ConferenceRooms NONE = name -> Optional.empty();

  /** The sharded rooms of {@code conferences}. */
  static ConferenceRooms of(Conferences conferences) {
    return name -> Optional.of(conferences.room(name));
  }
}
