package org.switchboard.engine.conference;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.conference.ConferenceActor.ConferenceState;
import org.switchboard.engine.conference.ConferenceActor.Participant;
import org.switchboard.engine.conference.ConferenceActor.ParticipantState;

/**
 * What a room tells the REST API, as data: each participant's mute and hold as the API last set
 * them ({@link Control}), and the conferences that ended, kept for the list (the newest {@value
 * #KEPT_CONFERENCES}, without participants). {@link ConferenceActor} keeps the room's life and
 * its ARI work; this only records and describes. Used inside the room's actor only.
 */
final class ConferenceLedger {
  /** Ended conferences kept for the REST list. */
  static final int KEPT_CONFERENCES = 50;

  /** A participant's mute and hold, and when they last changed. */
  record Control(boolean muted, boolean hold, Instant updated) {}

  private final Map<String, Control> controls = new LinkedHashMap<>();
  private final ArrayDeque<ConferenceState> ended = new ArrayDeque<>();

  /** {@code callSid} joined at {@code at}, muted or not as it asked. */
  void joined(String callSid, boolean muted, Instant at) {
    controls.put(callSid, new Control(muted, false, at));
  }

  /** {@code callSid} left. */
  void left(String callSid) {
    controls.remove(callSid);
  }

  /** The conference is over: nobody's control is kept. */
  void cleared() {
    controls.clear();
  }

  /** The control of {@code callSid}, if it is in the room. */
  Optional<Control> control(String callSid) {
    return Optional.ofNullable(controls.get(callSid));
  }

  /** The control of a participant, or what it joined with when none is recorded. */
  Control control(String callSid, Participant settings, Instant joinedAt) {
    return controls.getOrDefault(callSid, new Control(settings.muted(), false, joinedAt));
  }

  /** The API changed {@code callSid}'s mute or hold. */
  void changed(String callSid, Control after) {
    controls.put(callSid, after);
  }

  /** A participant as the REST API shows it. */
  ParticipantState participant(
      String conferenceSid, String callSid, Participant settings, Instant joinedAt) {
    Control c = control(callSid, settings, joinedAt);
    return new ParticipantState(callSid, conferenceSid, settings.label(), c.muted(), c.hold(),
        settings.startConferenceOnEnter(), settings.endConferenceOnExit(), joinedAt, c.updated(),
        settings.coach());
  }

  /** The conference {@code state} ended: kept, without its participants, for the REST list. */
  void ended(ConferenceState state) {
    ended.addLast(new ConferenceState(state.sid(), state.name(), state.status(),
        state.created(), state.updated(), state.reasonEnded(), state.callSidEndingConference(),
        List.of()));
    while (ended.size() > KEPT_CONFERENCES) {
      ended.removeFirst();
    }
  }

  /** The running conference ({@code current}, if any) first, then the ended ones, newest first. */
  List<ConferenceState> describe(Optional<ConferenceState> current) {
    List<ConferenceState> all = new ArrayList<>();
    current.ifPresent(all::add);
    ended.descendingIterator().forEachRemaining(all::add);
    return List.copyOf(all);
  }
}
