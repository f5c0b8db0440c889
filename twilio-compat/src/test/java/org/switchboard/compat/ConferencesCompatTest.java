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
    harness.app.on("/hwait", "<Say>The host is waiting.</Say>");
    harness.app.on("/hold", "<Say>Please hold.</Say><Pause length=\"1\"/>");
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
    assertEquals(20404, beepOnExit.getCode(), beepOnExit.getMessage());
    ApiException badHoldUrl = assertThrows(ApiException.class, () -> Participant.updater(
        "CF00000000000000000000000000000000", "CA00000000000000000000000000000000")
        .setHold(true).setHoldUrl("hold.xml").update(h.twilio));
    assertEquals(21205, badHoldUrl.getCode(), badHoldUrl.getMessage());
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
    ApiException coachingNobody = assertThrows(ApiException.class, () -> Participant.creator(
        "room", new PhoneNumber("+15550004002"), new PhoneNumber("+15550004003"))
        .setCoaching(true).create(h.twilio));
    assertEquals(20400, coachingNobody.getCode(), coachingNobody.getMessage());
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
  void aParticipantsHoldUrlWaitUrlExitAndCoachingAreUpdated() {
    Participant host = Participant.creator("hold-room", new PhoneNumber("+15550004100"),
            new PhoneNumber("+15557770611")).setBeep("false")
        .setConferenceStatusCallback(h.app.url("/hconf"))
        .setConferenceStatusCallbackEvent(List.of("start", "join", "leave", "end", "hold"))
        .create(h.twilio);
    String hostSid = host.getCallSid();
    h.app.await("/hconf", hostSid, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    String sid = all(Conference.reader().setFriendlyName("hold-room")
        .setStatus(Conference.Status.INIT).read(h.twilio)).get(0).getSid();
    Participant.updater(sid, hostSid).setWaitUrl(h.app.url("/hwait")).update(h.twilio);
    assertEquals("POST", h.app.await("/hwait", hostSid, Map.of(), CompatHarness.WAIT).method());
    h.awaitTrue(() -> h.ari("POST", "/play").stream().anyMatch(r -> (r.path() + r.query()
        + r.body()).contains(hostSid + "-announce-wait-")), "the new wait document plays");

    String guestSid = Participant.creator(sid, new PhoneNumber("+15550004100"),
        new PhoneNumber("+15557770612")).setBeep("false").create(h.twilio).getCallSid();
    h.app.await(w -> w.path().equals("/hconf")
        && "conference-start".equals(w.param("StatusCallbackEvent")), "conference-start",
        CompatHarness.WAIT);
    int mohBefore = h.ari("POST", "/moh").size();
    Participant held = Participant.updater(sid, guestSid).setHold(true)
        .setHoldUrl(h.app.url("/hold")).update(h.twilio);
    assertTrue(held.getHold());
    assertEquals("GET", h.app.await("/hold", guestSid, Map.of(), CompatHarness.WAIT).method(),
        "HoldMethod defaults to GET");
    h.awaitTrue(() -> h.ari("POST", "/play").stream().anyMatch(r -> (r.path() + r.query()
        + r.body()).contains(guestSid + "-announce-wait-")), "the hold document plays");
    h.app.await("/hconf", guestSid, Map.of("StatusCallbackEvent", "participant-hold"),
        CompatHarness.WAIT);
    assertEquals(mohBefore, h.ari("POST", "/moh").size(), "no music on hold under a HoldUrl");
    assertFalse(Participant.updater(sid, guestSid).setHold(false).update(h.twilio).getHold());
    h.app.await("/hconf", guestSid, Map.of("StatusCallbackEvent", "participant-unhold"),
        CompatHarness.WAIT);

    Participant.updater(sid, guestSid).setBeepOnExit(true).update(h.twilio);
    assertTrue(Participant.updater(sid, hostSid).setEndConferenceOnExit(true).update(h.twilio)
        .getEndConferenceOnExit());
    int mutedJoins = mutedJoins();
    Participant coaching = Participant.updater(sid, hostSid).setCoaching(true)
        .setCallSidToCoach(guestSid).update(h.twilio);
    assertTrue(coaching.getCoaching());
    assertEquals(guestSid, coaching.getCallSidToCoach());
    h.awaitTrue(() -> !h.ari("POST", "/bridges/" + hostSid + "-br-coach-2/addChannel")
        .isEmpty(), "the host whispers to the guest");
    h.awaitTrue(() -> mutedJoins() == mutedJoins + 1, "the host back in the room muted");
    assertFalse(Participant.updater(sid, hostSid).setCoaching(false).update(h.twilio)
        .getCoaching());
    h.awaitTrue(() -> h.ari("DELETE", "/bridges/" + hostSid + "-br-coach-2").size() == 1,
        "the coach bridge gone when the host stops coaching");

    int beeps = beeps();
    assertTrue(Participant.deleter(sid, guestSid).delete(h.twilio));
    h.app.await("/hconf", guestSid, Map.of("StatusCallbackEvent", "participant-leave"),
        CompatHarness.WAIT);
    h.awaitTrue(() -> beeps() == beeps + 1, "a beep as the guest leaves (BeepOnExit)");
    assertTrue(Participant.deleter(sid, hostSid).delete(h.twilio));
    h.app.await(w -> w.path().equals("/hconf")
        && "conference-end".equals(w.param("StatusCallbackEvent"))
        && "participant-with-end-conference-on-exit-kicked".equals(
            w.param("ReasonConferenceEnded")), "ended by the host (EndConferenceOnExit)",
        CompatHarness.WAIT);
    for (String call : List.of(hostSid, guestSid)) {
      h.awaitTrue(() -> Call.fetcher(call).fetch(h.twilio).getStatus() == Call.Status.COMPLETED,
          call + " over after its conference");
    }
  }

  /** The channels added to a conference bridge muted (coaches) so far. */
  private int mutedJoins() {
    return (int) h.ari("POST", "/addChannel").stream().filter(r -> r.path()
        .contains("/bridges/conf-") && (r.query() + r.body()).contains("mute=true")).count();
  }

  private int beeps() {
    return (int) h.ari("POST", "/bridges/").stream()
        .filter(r -> r.path().endsWith("/play") && (r.path() + r.query() + r.body())
            .contains("-beep-")).count();
  }

  @Test
  void aParticipantIsDialledInAsTheCoachOfAnother() {
    Participant agent = Participant.creator("coached", new PhoneNumber("+15550004100"),
            new PhoneNumber("+15557770601"))
        .setConferenceStatusCallback(h.app.url("/cconf"))
        .setConferenceStatusCallbackEvent(List.of("join", "leave", "end")).create(h.twilio);
    String agentSid = agent.getCallSid();
    assertFalse(agent.getCoaching());
    h.app.await("/cconf", agentSid, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    String sid = all(Conference.reader().setFriendlyName("coached")
        .setStatus(Conference.Status.INIT).read(h.twilio)).get(0).getSid();
    ApiException notIn = assertThrows(ApiException.class, () -> Participant.creator(sid,
        new PhoneNumber("+15550004100"), new PhoneNumber("+15557770603"))
        .setCallSidToCoach("CA00000000000000000000000000000000").create(h.twilio));
    assertEquals(20400, notIn.getCode(), notIn.getMessage());

    Participant coach = Participant.creator(sid, new PhoneNumber("+15550004100"),
        new PhoneNumber("+15557770602")).setCoaching(true).setCallSidToCoach(agentSid)
        .setBeep("false").create(h.twilio);
    String coachSid = coach.getCallSid();
    assertTrue(coach.getCoaching());
    assertEquals(agentSid, coach.getCallSidToCoach());
    h.app.await("/cconf", coachSid, Map.of("StatusCallbackEvent", "participant-join"),
        CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("POST", "/addChannel").stream().anyMatch(r -> r.path()
        .contains("/bridges/conf-") && (r.query() + r.body()).contains("mute=true")),
        "the coach in the room, muted");
    h.awaitTrue(() -> h.ari("POST", "/bridges/" + coachSid + "-br-coach/addChannel").stream()
        .anyMatch(r -> (r.query() + r.body()).contains(coachSid + "-snoop-coached-1_")),
        "the coach's voice whispered to the agent");
    Participant fetched = Participant.fetcher(sid, coachSid).fetch(h.twilio);
    assertTrue(fetched.getCoaching());
    assertEquals(agentSid, fetched.getCallSidToCoach());
    assertEquals(List.of(coachSid), all(Participant.reader(sid).setCoaching(true)
        .read(h.twilio)).stream().map(Participant::getCallSid).toList());
    assertEquals(List.of(agentSid), all(Participant.reader(sid).setCoaching(false)
        .read(h.twilio)).stream().map(Participant::getCallSid).toList());

    Conference.updater(sid).setStatus(Conference.UpdateStatus.COMPLETED).update(h.twilio);
    h.awaitTrue(() -> h.ari("DELETE", "/bridges/" + coachSid + "-br-coach").size() == 1,
        "the coach bridge destroyed with the conference");
    h.awaitTrue(() -> Call.fetcher(coachSid).fetch(h.twilio).getStatus()
        == Call.Status.COMPLETED, "the coach's call over after its conference");
    h.awaitTrue(() -> Call.fetcher(agentSid).fetch(h.twilio).getStatus()
        == Call.Status.COMPLETED, "the agent's call over after its conference");
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
