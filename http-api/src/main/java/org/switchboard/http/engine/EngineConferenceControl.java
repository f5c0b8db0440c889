package org.switchboard.http.engine;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.conference.ParticipantChanges;
import org.switchboard.engine.conference.ConferenceActor.ConferenceState;
import org.switchboard.engine.conference.ConferenceActor.ParticipantState;
import org.switchboard.engine.conference.ConferenceActor.RoomState;
import org.switchboard.engine.conference.Conferences;
import org.switchboard.engine.hotline.AnnouncementMedia;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.ConferenceControl;

/**
 * The HTTP API's {@link ConferenceControl} over the engine's conference rooms: each room this node
 * has addressed ({@link Conferences#names()}) is asked for its running and recently ended
 * conferences ({@link ConferenceActor.Describe}); updates go to the room that holds the
 * conference. A room only other nodes of a cluster used is not listed here.
 */
public final class EngineConferenceControl implements ConferenceControl {
  private static final Logger LOG = LoggerFactory.getLogger(EngineConferenceControl.class);

  private final Conferences conferences;
  private final Duration askTimeout;

  private final Optional<AnnouncementMedia> announcements;

  /** Conferences without announcements ({@code AnnounceUrl} is refused). */
  public EngineConferenceControl(Conferences conferences, Duration askTimeout) {
    this.conferences = conferences;
    this.askTimeout = askTimeout;
    this.announcements = Optional.empty();
  }

  /** Conferences whose {@code AnnounceUrl} documents {@code announcements} fetches. */
  public EngineConferenceControl(Conferences conferences, Duration askTimeout,
      AnnouncementMedia announcements) {
    this.conferences = conferences;
    this.askTimeout = askTimeout;
    this.announcements = Optional.of(announcements);
  }

  /** A conference and the room that holds it. */
  private record Found(String room, ConferenceState state) {}

  @Override
  public CompletionStage<List<ConferenceInfo>> listConferences() {
    return rooms().thenApply(rooms -> rooms.stream()
        .flatMap(r -> r.conferences().stream())
        .sorted(Comparator.comparing(ConferenceState::created).reversed())
        .map(EngineConferenceControl::info)
        .toList());
  }

  @Override
  public CompletionStage<ConferenceInfo> fetchConference(String conferenceSid) {
    return find(conferenceSid).thenApply(found -> info(found.state()));
  }

  @Override
  public CompletionStage<ConferenceInfo> endConference(String conferenceSid) {
    return find(conferenceSid).thenCompose(found -> {
      if (found.state().status().equals("completed")) {
        throw ApiException.invalidParameter("conference " + conferenceSid + " is already over");
      }
      return conferences.room(found.room())
          .<Boolean>ask(reply -> new ConferenceActor.EndConference(conferenceSid, reply), askTimeout)
          .thenCompose(ended -> fetchConference(conferenceSid));
    });
  }

  @Override
  public CompletionStage<List<ParticipantInfo>> listParticipants(String conferenceSid) {
    return find(conferenceSid).thenApply(found -> found.state().participants().stream()
        .map(EngineConferenceControl::info).toList());
  }

  @Override
  public CompletionStage<ParticipantInfo> fetchParticipant(String conferenceSid, String callSid) {
    return listParticipants(conferenceSid).thenApply(all -> all.stream()
        .filter(p -> p.callSid().equals(callSid)).findFirst()
        .or(() -> all.stream().filter(p -> p.label().filter(callSid::equals).isPresent())
            .findFirst())
        .orElseThrow(() -> notAParticipant(conferenceSid, callSid)));
  }

  @Override
  public CompletionStage<ParticipantInfo> updateParticipant(
      String conferenceSid, String callSid, Optional<Boolean> muted, Optional<Boolean> hold) {
    return changeParticipant(conferenceSid, callSid, new ParticipantChange(muted, hold,
        Optional.empty(), "GET", Optional.empty(), "POST", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()));
  }

  @Override
  public CompletionStage<ParticipantInfo> changeParticipant(
      String conferenceSid, String callSid, ParticipantChange change) {
    ParticipantChanges changes = new ParticipantChanges(change.holdUrl(),
        Method.parse(change.holdMethod()), change.waitUrl(), Method.parse(change.waitMethod()),
        change.beepOnExit(), change.endConferenceOnExit(), change.coaching(),
        change.callSidToCoach());
    return find(conferenceSid).thenCompose(found -> conferences.room(found.room())
        .<Optional<ParticipantState>>ask(reply -> new ConferenceActor.UpdateParticipant(
            conferenceSid, participant(found, callSid), change.muted(), change.hold(), reply,
            changes), askTimeout))
        .thenApply(state -> state.map(EngineConferenceControl::info)
            .orElseThrow(() -> notAParticipant(conferenceSid, callSid)));
  }

  @Override
  public CompletionStage<Void> removeParticipant(String conferenceSid, String callSid) {
    return find(conferenceSid).thenCompose(found -> conferences.room(found.room())
        .<Boolean>ask(reply -> new ConferenceActor.RemoveParticipant(conferenceSid,
            participant(found, callSid), reply), askTimeout))
        .thenApply(removed -> {
          if (!removed) {
            throw notAParticipant(conferenceSid, callSid);
          }
          return null;
        });
  }

  /**
   * The CallSid of the participant {@code key} names: its CallSid, or its label (Twilio's
   * Participant resource takes either); {@code key} itself when neither matches.
   */
  private static String participant(Found found, String key) {
    return found.state().participants().stream()
        .filter(p -> p.callSid().equals(key)).findFirst()
        .or(() -> found.state().participants().stream()
            .filter(p -> p.label().filter(key::equals).isPresent()).findFirst())
        .map(ParticipantState::callSid).orElse(key);
  }

  @Override
  public CompletionStage<Void> announce(
      String conferenceSid, Optional<String> callSid, URI url, String method) {
    if (announcements.isEmpty()) {
      return CompletableFuture.failedFuture(
          ApiException.invalidParameter("announcements are not available on this node"));
    }
    return find(conferenceSid).thenApply(found -> {
      if (found.state().status().equals("completed")) {
        throw ApiException.invalidParameter("conference " + conferenceSid + " is over");
      }
      Optional<String> to = callSid.map(key -> participant(found, key));
      if (to.isPresent() && found.state().participants().stream()
          .noneMatch(p -> p.callSid().equals(to.get()))) {
        throw notAParticipant(conferenceSid, callSid.get());
      }
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(Map.entry("ConferenceSid", conferenceSid));
      params.add(Map.entry("FriendlyName", found.room()));
      to.ifPresent(sid -> params.add(Map.entry("CallSid", sid)));
      String subject = to.orElse(conferenceSid);
      announcements.get().fetch(url, Method.parse(method), params, subject, "announce-url")
          .thenCompose(media -> conferences.room(found.room()).<Boolean>ask(reply ->
              new ConferenceActor.Announce(conferenceSid, to, media, reply), askTimeout))
          .whenComplete((played, error) -> {
            if (error != null) {
              LOG.warn("{}: AnnounceUrl {} failed: {}", subject, url,
                  Failures.cause(error).getMessage());
            } else if (!played) {
              LOG.info("{}: AnnounceUrl {} not played: the conference or participant left",
                  subject, url);
            }
          });
      return null;
    });
  }

  private CompletionStage<Found> find(String conferenceSid) {
    return rooms().thenApply(rooms -> {
      for (RoomState room : rooms) {
        for (ConferenceState state : room.conferences()) {
          if (state.sid().equals(conferenceSid)) {
            return new Found(room.name(), state);
          }
        }
      }
      throw ApiException.notFound("conference " + conferenceSid + " not found");
    });
  }

  /** Every known room's state; a room that does not answer in time is left out (logged). */
  private CompletionStage<List<RoomState>> rooms() {
    List<CompletableFuture<Optional<RoomState>>> asks = new ArrayList<>();
    for (String name : conferences.names()) {
      asks.add(conferences.room(name)
          .<RoomState>ask(ConferenceActor.Describe::new, askTimeout)
          .thenApply(Optional::of)
          .exceptionally(e -> {
            LOG.warn("conference room {} did not answer: {}", name, e.getMessage());
            return Optional.empty();
          })
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> asks.stream().flatMap(a -> a.join().stream()).toList());
  }

  private static ApiException notAParticipant(String conferenceSid, String callSid) {
    return ApiException.notFound("call " + callSid + " is not in conference " + conferenceSid);
  }

  private static ConferenceInfo info(ConferenceState s) {
    return new ConferenceInfo(s.sid(), s.name(), s.status(), s.created(), s.updated(),
        s.reasonEnded(), s.callSidEndingConference());
  }

  private static ParticipantInfo info(ParticipantState p) {
    return new ParticipantInfo(p.callSid(), p.conferenceSid(), p.label(), p.muted(), p.hold(),
        p.startConferenceOnEnter(), p.endConferenceOnExit(), p.joined(), p.updated(),
        p.callSidToCoach());
  }
}
