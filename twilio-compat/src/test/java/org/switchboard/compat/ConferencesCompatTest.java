package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Conference;
import com.twilio.rest.api.v2010.account.conference.Participant;
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
        .read(h.twilio)).stream().map(Conference::getSid).toList());
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
    assertEquals(20400, announce.getCode());
    assertEquals(400, announce.getStatusCode());
    ApiException create = assertThrows(ApiException.class, () -> Participant.creator(
        "CF00000000000000000000000000000000", new com.twilio.type.PhoneNumber("+15550004002"),
        new com.twilio.type.PhoneNumber("+15550004003")).create(h.twilio));
    assertEquals(20004, create.getCode());
    assertEquals(405, create.getStatusCode());
  }
}
