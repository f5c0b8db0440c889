package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Conference;
import com.twilio.rest.api.v2010.account.conference.Participant;
import com.twilio.type.PhoneNumber;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Twilio's Conferences and Participants resources through the Twilio Java SDK: two callers in
 * {@code <Dial><Conference>} make a conference that is listed (filters), fetched, whose
 * participants are listed, muted, held and unheld (ARI mute, music on hold, and the {@code
 * participant-mute}/{@code -hold} callbacks), one removed (its call goes on after its Dial) and
 * which is ended ({@code Status=completed}, {@code conference-ended-via-api}).
 */
class ConferencesCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of());
    harness.app.on("/voice", "<Dial><Conference statusCallback=\"/conf\""
        + " statusCallbackEvent=\"join leave end mute hold\">standup</Conference></Dial>"
        + "<Say>after the conference</Say>");
    harness.app.on("/announce", "<Say>The meeting starts now.</Say>");
    return harness;
  }

  @Test
  void aConferenceIsListedFetchedItsParticipantsMutedHeldRemovedAndItIsEnded() {
    String aliceChannel = h.sim.inboundCall("+15557770301", "+15550004001");
    String alice = CompatHarness.callSid(aliceChannel);
    h.app.await("/conf", alice, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    String bobChannel = h.sim.inboundCall("+15557770302", "+15550004001");
    String bob = CompatHarness.callSid(bobChannel);
    h.app.await("/conf", bob, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);

    List<Conference> running = all(Conference.reader().setFriendlyName("standup")
        .setStatus(Conference.Status.IN_PROGRESS)
        .setDateCreated(LocalDate.now(ZoneOffset.UTC)).read(h.twilio));
    assertEquals(1, running.size());
    Conference standup = running.get(0);
    assertEquals("standup", standup.getFriendlyName());
    assertEquals(Conference.Status.IN_PROGRESS, standup.getStatus());
    assertEquals(List.of(), all(Conference.reader().setFriendlyName("other").read(h.twilio)));
    assertEquals(List.of(), all(Conference.reader()
        .setDateCreatedBefore(LocalDate.now(ZoneOffset.UTC).minusDays(1)).read(h.twilio)));
    String sid = standup.getSid();
    assertEquals(sid, Conference.fetcher(sid).fetch(h.twilio).getSid());

    List<Participant> participants = all(Participant.reader(sid).read(h.twilio));
    assertEquals(Set.of(alice, bob),
        participants.stream().map(Participant::getCallSid).collect(Collectors.toSet()));
    assertEquals(Participant.Status.CONNECTED, participants.get(0).getStatus());
    assertEquals(alice, Participant.fetcher(sid, alice).fetch(h.twilio).getCallSid());

    Participant muted = Participant.updater(sid, alice).setMuted(true).update(h.twilio);
    assertTrue(muted.getMuted());
    h.awaitTrue(() -> h.ari("POST", "/channels/" + aliceChannel + "/mute").stream()
        .anyMatch(r -> r.query().contains("direction=in")), "alice muted on ARI");
    h.app.await("/conf", alice, Map.of("StatusCallbackEvent", "participant-mute",
        "Muted", "true"), CompatHarness.WAIT);
    assertEquals(List.of(alice), all(Participant.reader(sid).setMuted(true).read(h.twilio))
        .stream().map(Participant::getCallSid).toList());

    Participant held = Participant.updater(sid, bob).setHold(true).update(h.twilio);
    assertTrue(held.getHold());
    h.awaitTrue(() -> !h.ari("POST", "/channels/" + bobChannel + "/moh").isEmpty()
        && !h.ari("POST", "/channels/" + bobChannel + "/mute").isEmpty(),
        "bob hears music on hold and is not heard");
    h.app.await("/conf", bob, Map.of("StatusCallbackEvent", "participant-hold", "Hold", "true"),
        CompatHarness.WAIT);
    assertFalse(Participant.updater(sid, bob).setHold(false).update(h.twilio).getHold());
    h.awaitTrue(() -> !h.ari("DELETE", "/channels/" + bobChannel + "/moh").isEmpty()
        && !h.ari("DELETE", "/channels/" + bobChannel + "/mute").isEmpty(), "bob back");
    h.app.await("/conf", bob, Map.of("StatusCallbackEvent", "participant-unhold"),
        CompatHarness.WAIT);

    assertTrue(Participant.deleter(sid, bob).delete(h.twilio));
    h.awaitTrue(() -> h.ari("POST", "/removeChannel").stream()
        .anyMatch(r -> r.query().contains(bobChannel)), "bob out of the bridge");
    h.app.await("/conf", bob, Map.of("StatusCallbackEvent", "participant-leave"),
        CompatHarness.WAIT);
    h.app.await("/status", bob, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    ApiException gone = assertThrows(ApiException.class,
        () -> Participant.fetcher(sid, bob).fetch(h.twilio));
    assertEquals(20404, gone.getCode());

    Conference ended = Conference.updater(sid).setStatus(Conference.UpdateStatus.COMPLETED)
        .update(h.twilio);
    assertEquals(Conference.Status.COMPLETED, ended.getStatus());
    assertEquals(Conference.ReasonConferenceEnded.CONFERENCE_ENDED_VIA_API,
        ended.getReasonConferenceEnded());
    h.app.await("/conf", alice, Map.of("StatusCallbackEvent", "participant-leave"),
        CompatHarness.WAIT);
    h.app.await(w -> w.path().equals("/conf")
        && "conference-end".equals(w.param("StatusCallbackEvent"))
        && "conference-ended-via-api".equals(w.param("ReasonConferenceEnded")),
        "conference-end", CompatHarness.WAIT);
    h.app.await("/status", alice, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertEquals(List.of(sid), all(Conference.reader().setStatus(Conference.Status.COMPLETED)
        .setFriendlyName("standup").read(h.twilio)).stream().map(Conference::getSid).toList());
    assertEquals(List.of(), all(Participant.reader(sid).read(h.twilio)));
  }

  @Test
  void badConferenceRequestsGetTwiliosErrors() {
    ApiException unknown = assertThrows(ApiException.class,
        () -> Conference.fetcher("CF00000000000000000000000000000000").fetch(h.twilio));
    assertEquals(20404, unknown.getCode());
    assertEquals(404, unknown.getStatusCode());
    ApiException noParticipants = assertThrows(ApiException.class, () -> all(
        Participant.reader("CF00000000000000000000000000000000").read(h.twilio)));
    assertEquals(20404, noParticipants.getCode());
    ApiException announce = assertThrows(ApiException.class, () -> Participant.updater(
        "CF00000000000000000000000000000000", "CA00000000000000000000000000000000")
        .setAnnounceUrl("http://127.0.0.1:1/announce").update(h.twilio));
    assertEquals(20404, announce.getCode(), announce.getMessage());
    assertEquals(404, announce.getStatusCode());
    ApiException beepOnExit = assertThrows(ApiException.class, () -> Participant.updater(
        "CF00000000000000000000000000000000", "CA00000000000000000000000000000000")
        .setBeepOnExit(true).update(h.twilio));
    assertEquals(20400, beepOnExit.getCode(), beepOnExit.getMessage());
    ApiException badUrl = assertThrows(ApiException.class, () -> Conference.updater(
        "CF00000000000000000000000000000000").setAnnounceUrl("announce.xml").update(h.twilio));
    assertEquals(21205, badUrl.getCode(), badUrl.getMessage());
    ApiException create = assertThrows(ApiException.class, () -> Participant.creator(
        "CF00000000000000000000000000000000", new PhoneNumber("+15550004002"),
        new PhoneNumber("+15550004003")).create(h.twilio));
    assertEquals(20404, create.getCode(), create.getMessage());
    assertEquals(404, create.getStatusCode());
    ApiException coaching = assertThrows(ApiException.class, () -> Participant.creator("room",
        new PhoneNumber("+15550004002"), new PhoneNumber("+15550004003")).setCoaching(true)
        .setCallSidToCoach("CA00000000000000000000000000000000").create(h.twilio));
    assertEquals(20400, coaching.getCode(), coaching.getMessage());
    ApiException timeout = assertThrows(ApiException.class, () -> Participant.creator("room",
        new PhoneNumber("+15550004002"), new PhoneNumber("+15550004003")).setTimeout(3)
        .create(h.twilio));
    assertEquals(21200, timeout.getCode(), timeout.getMessage());
    ApiException beep = assertThrows(ApiException.class, () -> Participant.creator("room",
        new PhoneNumber("+15550004002"), new PhoneNumber("+15550004003")).setBeep("loud")
        .create(h.twilio));
    assertEquals(20400, beep.getCode(), beep.getMessage());
    ApiException badTo = assertThrows(ApiException.class, () -> Participant.creator("room",
        new PhoneNumber("+15550004002"), new PhoneNumber("not a number")).create(h.twilio));
    assertEquals(21211, badTo.getCode(), badTo.getMessage());
    assertEquals(List.of(), h.ari("POST", "/channels").stream()
        .filter(r -> (r.query() + r.body()).contains("15550004003")).toList(), "nothing dialled");
  }

  @Test
  void participantsAreDialledIntoAConferenceByItsNameAndByItsSid() {
    Participant first = Participant.creator("planning", new PhoneNumber("+15550004100"),
            new PhoneNumber("+15557770501"))
        .setLabel("host").setBeep("false").setEndConferenceOnExit(true)
        .setStatusCallback(h.app.url("/pcall"))
        .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"))
        .setConferenceStatusCallback(h.app.url("/pconf"))
        .setConferenceStatusCallbackEvent(List.of("start", "end", "join", "leave"))
        .create(h.twilio);
    String host = first.getCallSid();
    assertEquals(Participant.Status.QUEUED, first.getStatus());
    assertEquals("host", first.getLabel());
    assertTrue(first.getEndConferenceOnExit());
    h.awaitTrue(() -> h.ari("POST", "/channels").stream()
        .anyMatch(r -> (r.path() + r.query() + r.body()).contains("15557770501")), "To dialled");
    h.app.await("/pcall", host, Map.of("CallStatus", "in-progress"), CompatHarness.WAIT);
    h.app.await("/pconf", host, Map.of("StatusCallbackEvent", "participant-join",
        "FriendlyName", "planning"), CompatHarness.WAIT);
    List<Conference> planning = all(Conference.reader().setFriendlyName("planning")
        .setStatus(Conference.Status.INIT).read(h.twilio));
    assertEquals(1, planning.size(), "waiting for a second participant: " + planning);
    String sid = planning.get(0).getSid();

    Participant second = Participant.creator(sid, new PhoneNumber("+15550004100"),
        new PhoneNumber("+15557770502")).setMuted(true).setLabel("guest").create(h.twilio);
    String guest = second.getCallSid();
    assertEquals(sid, second.getConferenceSid());
    assertTrue(second.getMuted());
    h.app.await("/pconf", guest, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    h.app.await(w -> w.path().equals("/pconf")
        && "conference-start".equals(w.param("StatusCallbackEvent")), "conference-start",
        CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("POST", "/mute").stream().anyMatch(r -> r.query().contains(
        "direction=in") && CompatHarness.callSid(r.path().split("/")[r.path().split("/").length
        - 2]).equals(guest)), "the guest muted on ARI");
    assertEquals(guest, Participant.fetcher(sid, "guest").fetch(h.twilio).getCallSid(),
        "a participant is found by its label too");
    List<Participant> in = all(Participant.reader(sid).read(h.twilio));
    assertEquals(Map.of(host, "host", guest, "guest"), in.stream()
        .collect(Collectors.toMap(Participant::getCallSid, Participant::getLabel)));
    assertEquals(List.of(guest), all(Participant.reader(sid).setMuted(true).read(h.twilio))
        .stream().map(Participant::getCallSid).toList());

    Conference announced = Conference.updater(sid).setAnnounceUrl(h.app.url("/announce"))
        .update(h.twilio);
    assertEquals(Conference.Status.IN_PROGRESS, announced.getStatus());
    h.app.await(w -> w.path().equals("/announce") && sid.equals(w.param("ConferenceSid"))
        && w.param("CallSid") == null, "the conference's AnnounceUrl", CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("POST", "/bridges/").stream().anyMatch(r -> r.path().endsWith("/play")
        && (r.query() + r.body()).contains("-announce-")), "the announcement on the bridge");
    Participant told = Participant.updater(sid, "guest").setAnnounceUrl(h.app.url("/announce"))
        .setAnnounceMethod(HttpMethod.GET).update(h.twilio);
    assertEquals(guest, told.getCallSid());
    WebhookApp.Webhook toGuest = h.app.await("/announce", guest, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", toGuest.method());
    h.awaitTrue(() -> h.ari("POST", "/play").stream().anyMatch(r -> r.path().contains(
        "/channels/") && (r.query() + r.body()).contains(guest + "-announce-")),
        "the announcement to the guest alone");

    assertTrue(Participant.deleter(sid, host).delete(h.twilio));
    h.app.await(w -> w.path().equals("/pconf")
        && "conference-end".equals(w.param("StatusCallbackEvent"))
        && host.equals(w.param("CallSidEndingConference")), "conference-end by the host",
        CompatHarness.WAIT);
    h.app.await("/pcall", host, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    h.awaitTrue(() -> Call.fetcher(guest).fetch(h.twilio).getStatus() == Call.Status.COMPLETED,
        "the guest's call over after its conference");
  }
}
