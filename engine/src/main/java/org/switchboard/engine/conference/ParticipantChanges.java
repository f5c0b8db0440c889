package org.switchboard.engine.conference;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.conference.ConferenceActor.Participant;
import org.switchboard.engine.protocol.ClusterMessage;
import org.switchboard.engine.twiml.verb.Method;

/**
 * What a REST Participant update changes besides mute and hold (Twilio's Participant update
 * parameters), as {@link ConferenceActor.UpdateParticipant} carries it to the room.
 *
 * @param holdUrl {@code HoldUrl}: on hold the participant hears what it answers (a TwiML document
 *     of {@code <Say>}, {@code <Play>}, {@code <Pause>}, {@code <Redirect>}, or an audio file),
 *     run on its channel by its membership as a {@code waitUrl} is, instead of music on hold
 * @param holdMethod {@code HoldMethod} (Twilio's default GET)
 * @param waitUrl {@code WaitUrl}: while the conference has not started, what the participant
 *     hears from now on (its wait music or document is replaced)
 * @param waitMethod {@code WaitMethod} (default POST)
 * @param beepOnExit {@code BeepOnExit}: whether the room beeps when it leaves
 * @param endConferenceOnExit {@code EndConferenceOnExit}
 * @param coaching {@code Coaching}: {@code false} ends its coaching
 * @param callSidToCoach {@code CallSidToCoach}: the participant it coaches from now on
 */
public record ParticipantChanges(
    Optional<URI> holdUrl,
    Method holdMethod,
    Optional<URI> waitUrl,
    Method waitMethod,
    Optional<Boolean> beepOnExit,
    Optional<Boolean> endConferenceOnExit,
    Optional<Boolean> coaching,
    Optional<String> callSidToCoach)
    implements ClusterMessage {

  /** Nothing besides mute and hold. */
  public static final ParticipantChanges NONE = new ParticipantChanges(Optional.empty(),
      Method.GET, Optional.empty(), Method.POST, Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty());

  public ParticipantChanges {
    Objects.requireNonNull(holdUrl, "holdUrl");
    Objects.requireNonNull(holdMethod, "holdMethod");
    Objects.requireNonNull(waitUrl, "waitUrl");
    Objects.requireNonNull(waitMethod, "waitMethod");
    Objects.requireNonNull(beepOnExit, "beepOnExit");
    Objects.requireNonNull(endConferenceOnExit, "endConferenceOnExit");
    Objects.requireNonNull(coaching, "coaching");
    Objects.requireNonNull(callSidToCoach, "callSidToCoach");
  }

  /** Whom the participant coaches after this change, given whom it coaches now. */
  Optional<String> coachAfter(Optional<String> now) {
    if (coaching.isPresent() && !coaching.get()) {
      return Optional.empty();
    }
    return callSidToCoach.or(() -> now);
  }

  /** The participant's settings after this change, coaching {@code coach}. */
  Participant applyTo(Participant p, Optional<String> coach, boolean started) {
    String beep = beepOnExit.map(onExit -> beepWith(p.beep(), onExit)).orElse(p.beep());
    boolean waitMusic = p.waitMusic() && (started || waitUrl.isEmpty());
    return new Participant(p.muted(), beep, p.startConferenceOnEnter(),
        endConferenceOnExit.orElse(p.endConferenceOnExit()), p.label(), waitMusic,
        p.maxParticipants(), p.statusCallback(), p.statusCallbackMethod(),
        p.statusCallbackEvents(), p.recording(), coach);
  }

  /** {@code beep} with its beep on exit turned on or off, its beep on enter kept. */
  static String beepWith(String beep, boolean onExit) {
    boolean onEnter = beep.equals("true") || beep.equals("onEnter");
    if (onExit) {
      return onEnter ? "true" : "onExit";
    }
    return onEnter ? "onEnter" : "false";
  }
}
