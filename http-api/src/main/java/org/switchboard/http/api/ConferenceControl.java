package org.switchboard.http.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the HTTP layer asks of the engine's conference rooms (TwiML {@code <Dial><Conference>},
 * addressed by their ConferenceSid {@code CF…} and the participants' CallSids). Same conventions
 * as {@link CallControl}: non-blocking, failures are {@link ApiException}s.
 */
public interface ConferenceControl {

  /**
   * A conference as Twilio's Conference resource shows it.
   *
   * @param status {@code init}, {@code in-progress} or {@code completed}
   * @param reasonEnded Twilio's {@code reason_conference_ended}, once completed
   */
  record ConferenceInfo(
      String sid,
      String friendlyName,
      String status,
      Instant dateCreated,
      Instant dateUpdated,
      Optional<String> reasonEnded,
      Optional<String> callSidEndingConference) {}

  /**
   * A call in a running conference (Twilio's Participant resource).
   *
   * @param callSidToCoach the participant it coaches ({@code coaching}), if any
   */
  record ParticipantInfo(
      String callSid,
      String conferenceSid,
      Optional<String> label,
      boolean muted,
      boolean hold,
      boolean startConferenceOnEnter,
      boolean endConferenceOnExit,
      Instant dateCreated,
      Instant dateUpdated,
      Optional<String> callSidToCoach) {

    /** A participant that coaches nobody. */
    public ParticipantInfo(String callSid, String conferenceSid, Optional<String> label,
        boolean muted, boolean hold, boolean startConferenceOnEnter, boolean endConferenceOnExit,
        Instant dateCreated, Instant dateUpdated) {
      this(callSid, conferenceSid, label, muted, hold, startConferenceOnEnter,
          endConferenceOnExit, dateCreated, dateUpdated, Optional.empty());
    }
  }

  /**
   * A Participant update: mute, hold (and what is heard on hold), wait audio, exit behaviour,
   * coaching; an absent value stays as it is.
   *
   * @param holdMethod {@code GET} or {@code POST}
   * @param waitMethod {@code GET} or {@code POST}
   * @param coaching {@code false} ends coaching; {@code callSidToCoach} names whom to coach
   */
  record ParticipantChange(
      Optional<Boolean> muted,
      Optional<Boolean> hold,
      Optional<java.net.URI> holdUrl,
      String holdMethod,
      Optional<java.net.URI> waitUrl,
      String waitMethod,
      Optional<Boolean> beepOnExit,
      Optional<Boolean> endConferenceOnExit,
      Optional<Boolean> coaching,
      Optional<String> callSidToCoach) {}

  /** Every conference known here, running and ended, newest first. */
  CompletionStage<List<ConferenceInfo>> listConferences();

  /** One conference. Errors: {@code NOT_FOUND}. */
  CompletionStage<ConferenceInfo> fetchConference(String conferenceSid);

  /**
   * Ends a running conference: every participant leaves and goes on after its {@code <Dial>}.
   * Answers the conference as it ended. Errors: {@code NOT_FOUND}; {@code INVALID_PARAMETER} for a
   * conference already over.
   */
  CompletionStage<ConferenceInfo> endConference(String conferenceSid);

  /** The participants of a running conference (none once over). Errors: {@code NOT_FOUND}. */
  CompletionStage<List<ParticipantInfo>> listParticipants(String conferenceSid);

  /** One participant. Errors: {@code NOT_FOUND} (unknown conference or call not in it). */
  CompletionStage<ParticipantInfo> fetchParticipant(String conferenceSid, String callSid);

  /**
   * Mutes/unmutes and holds/unholds a participant (an absent value stays as it is). Errors:
   * {@code NOT_FOUND}.
   */
  CompletionStage<ParticipantInfo> updateParticipant(
      String conferenceSid, String callSid, Optional<Boolean> muted, Optional<Boolean> hold);

  /**
   * Applies a Participant update. Errors: {@code NOT_FOUND}. The default carries out mute and
   * hold only.
   */
  default CompletionStage<ParticipantInfo> changeParticipant(
      String conferenceSid, String callSid, ParticipantChange change) {
    return updateParticipant(conferenceSid, callSid, change.muted(), change.hold());
  }

  /** Takes a participant out; its call goes on after its {@code <Dial>}. Errors: {@code NOT_FOUND}. */
  CompletionStage<Void> removeParticipant(String conferenceSid, String callSid);

  /**
   * Announces what {@code url} answers ({@code <Say>}/{@code <Play>} TwiML, or an audio file) in a
   * running conference: to everyone, or to the participant {@code callSid} alone. Answers once the
   * conference (and participant) was found; the URL is requested and played afterwards, a failure
   * there is logged. Errors: {@code NOT_FOUND}; {@code INVALID_PARAMETER} for a conference over.
   */
  default CompletionStage<Void> announce(
      String conferenceSid, Optional<String> callSid, java.net.URI url, String method) {
    return CompletableFuture.failedFuture(
        ApiException.notFound("conference " + conferenceSid + " not found"));
  }

  /** No conferences: every conference is unknown. */
  ConferenceControl NONE = new ConferenceControl() {
    @Override
    public CompletionStage<List<ConferenceInfo>> listConferences() {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<ConferenceInfo> fetchConference(String conferenceSid) {
      return unknown(conferenceSid);
    }

    @Override
    public CompletionStage<ConferenceInfo> endConference(String conferenceSid) {
      return unknown(conferenceSid);
    }

    @Override
    public CompletionStage<List<ParticipantInfo>> listParticipants(String conferenceSid) {
      return unknown(conferenceSid);
    }

    @Override
    public CompletionStage<ParticipantInfo> fetchParticipant(String conferenceSid, String callSid) {
      return unknown(conferenceSid);
    }

    @Override
    public CompletionStage<ParticipantInfo> updateParticipant(
        String conferenceSid, String callSid, Optional<Boolean> muted, Optional<Boolean> hold) {
      return unknown(conferenceSid);
    }

    @Override
    public CompletionStage<Void> removeParticipant(String conferenceSid, String callSid) {
      return unknown(conferenceSid);
    }

    private <T> CompletionStage<T> unknown(String conferenceSid) {
      return CompletableFuture.failedFuture(
          ApiException.notFound("conference " + conferenceSid + " not found"));
    }
  };
}
