package org.switchboard.http.twilio;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.switchboard.http.api.ConferenceControl;
import org.switchboard.http.api.ConferenceControl.ConferenceInfo;
import org.switchboard.http.api.ConferenceControl.ParticipantInfo;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.Page;

/**
 * Twilio's Conferences resource (list with {@code FriendlyName}, {@code Status}, {@code
 * DateCreated} and {@code DateUpdated} filters, fetch, update {@code Status=completed} and {@code
 * AnnounceUrl}) and its Participants (list with {@code Muted} and {@code Hold} filters, fetch,
 * update {@code Muted}, {@code Hold}, {@code AnnounceUrl}, delete; create is {@link
 * ParticipantCreation}), over {@link ConferenceControl}.
 */
final class ConferencesResource {
  private static final Set<String> STATUSES = Set.of("init", "in-progress", "completed");

  private final ConferenceControl conferences;
  private final TwilioJson json;

  ConferencesResource(ConferenceControl conferences, TwilioJson json) {
    this.conferences = conferences;
    this.json = json;
  }

  CompletionStage<Object> list(TwilioForm params) {
    Paging paging = Paging.of(params);
    Map<String, String> filters = new LinkedHashMap<>();
    Optional<String> name = params.first("FriendlyName");
    name.ifPresent(n -> filters.put("FriendlyName", n));
    Optional<String> status = params.first("Status").map(s -> {
      String wire = s.toLowerCase(Locale.ROOT);
      if (!STATUSES.contains(wire)) {
        throw TwilioError.bad(TwilioError.BAD_REQUEST,
            "Status must be init, in-progress or completed, not '" + s + "'");
      }
      filters.put("Status", wire);
      return wire;
    });
    DateRange created = DateFilters.parse(params, "DateCreated", filters);
    DateRange updated = DateFilters.parse(params, "DateUpdated", filters);
    Predicate<ConferenceInfo> wanted = c -> name.map(c.friendlyName()::equals).orElse(true)
        && status.map(c.status()::equals).orElse(true)
        && created.contains(Optional.of(c.dateCreated()))
        && updated.contains(Optional.of(c.dateUpdated()));
    return conferences.listConferences().thenApply(all -> envelope(paging,
        json.accountPath() + "/Conferences.json", filters, "conferences",
        all.stream().filter(wanted).toList(), json::conference));
  }

  CompletionStage<Object> fetch(String sid) {
    return conferences.fetchConference(sid).thenApply(json::conference);
  }

  CompletionStage<Object> update(String sid, TwilioForm params) {
    Optional<URI> announce = CallsResource.url(params, "AnnounceUrl");
    String announceMethod = params.method("AnnounceMethod", "POST");
    Optional<String> status = params.first("Status");
    if (status.isEmpty() && announce.isEmpty()) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "Nothing to update: send Status=completed or AnnounceUrl");
    }
    if (status.isPresent() && !status.get().equalsIgnoreCase("completed")) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "Status can only be completed, not '" + status.get() + "'");
    }
    CompletionStage<Void> announced = announce
        .map(url -> conferences.announce(sid, Optional.empty(), url, announceMethod))
        .orElseGet(() -> CompletableFuture.completedFuture(null));
    return announced.thenCompose(done -> status.isPresent()
        ? conferences.endConference(sid) : conferences.fetchConference(sid))
        .thenApply(json::conference);
  }

  CompletionStage<Object> participants(String conferenceSid, TwilioForm params) {
    Paging paging = Paging.of(params);
    Map<String, String> filters = new LinkedHashMap<>();
    Optional<Boolean> muted = flag(params, "Muted", filters);
    Optional<Boolean> hold = flag(params, "Hold", filters);
    Optional<Boolean> coaching = flag(params, "Coaching", filters);
    Predicate<ParticipantInfo> wanted = p -> muted.map(m -> m == p.muted()).orElse(true)
        && hold.map(h -> h == p.hold()).orElse(true)
        && coaching.map(c -> c == p.callSidToCoach().isPresent()).orElse(true);
    return conferences.listParticipants(conferenceSid).thenApply(all -> envelope(paging,
        json.accountPath() + "/Conferences/" + conferenceSid + "/Participants.json", filters,
        "participants", all.stream().filter(wanted).toList(), json::participant));
  }

  CompletionStage<Object> participant(String conferenceSid, String callSid) {
    return conferences.fetchParticipant(conferenceSid, callSid).thenApply(json::participant);
  }

  CompletionStage<Object> updateParticipant(
      String conferenceSid, String callSid, TwilioForm params) {
    Map<String, String> none = new LinkedHashMap<>();
    Optional<Boolean> coaching = flag(params, "Coaching", none);
    Optional<String> toCoach = ParticipantCreation.callSidToCoach(params);
    ConferenceControl.ParticipantChange change = new ConferenceControl.ParticipantChange(
        flag(params, "Muted", none), flag(params, "Hold", none),
        CallsResource.url(params, "HoldUrl"), params.method("HoldMethod", "GET"),
        CallsResource.url(params, "WaitUrl"), params.method("WaitMethod", "POST"),
        flag(params, "BeepOnExit", none), flag(params, "EndConferenceOnExit", none), coaching,
        toCoach);
    Optional<URI> announce = CallsResource.url(params, "AnnounceUrl");
    String announceMethod = params.method("AnnounceMethod", "POST");
    boolean changes = change.muted().isPresent() || change.hold().isPresent()
        || change.holdUrl().isPresent() || change.waitUrl().isPresent()
        || change.beepOnExit().isPresent() || change.endConferenceOnExit().isPresent()
        || coaching.isPresent() || toCoach.isPresent();
    if (!changes && announce.isEmpty()) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "Nothing to update: send Muted, Hold,"
          + " HoldUrl, WaitUrl, BeepOnExit, EndConferenceOnExit, Coaching, CallSidToCoach or"
          + " AnnounceUrl");
    }
    CompletionStage<Void> coachable = toCoach.isPresent()
        ? ParticipantCreation.coachable(conferences, conferenceSid, callSid, toCoach.get())
        : CompletableFuture.completedFuture(null);
    CompletionStage<ParticipantInfo> updated = coachable.thenCompose(ok -> changes
            ? conferences.changeParticipant(conferenceSid, callSid, change)
            : conferences.fetchParticipant(conferenceSid, callSid));
    return updated.thenCompose(participant -> announce
        .map(url -> conferences.announce(conferenceSid, Optional.of(callSid), url, announceMethod)
            .thenApply(done -> participant))
        .orElseGet(() -> CompletableFuture.completedFuture(participant)))
        .thenApply(json::participant);
  }

  CompletionStage<Void> removeParticipant(String conferenceSid, String callSid) {
    return conferences.removeParticipant(conferenceSid, callSid);
  }

  private static Optional<Boolean> flag(TwilioForm params, String name, Map<String, String> echo) {
    if (params.first(name).isEmpty()) {
      return Optional.empty();
    }
    boolean value = params.bool(name, false, TwilioError.BAD_REQUEST);
    echo.put(name, Boolean.toString(value));
    return Optional.of(value);
  }

  private static <T> Map<String, Object> envelope(Paging paging, String path,
      Map<String, String> filters, String key, List<T> all, Function<T, Object> toJson) {
    int from = Math.min(paging.offset(), all.size());
    int to = Math.min(all.size(), from + paging.pageSize());
    Page<T> page = new Page<>(all.subList(from, to), to < all.size());
    return paging.envelope(path, filters, key, page, page.items().stream().map(toJson).toList());
  }
}
