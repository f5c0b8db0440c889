package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.conference.ConferenceRecord;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Conferences outlive the node, on {@link CrashFixture} (a {@link CrashableNode} killed with
 * SIGKILL, a new node on the same H2 file): a caller waiting alone in a conference that has not
 * started, and a started conference of two, recorded, one participant muted through the REST API.
 * After the restart both bridges are adopted (never destroyed as orphans) with their participants
 * in them, the REST API shows the muted participant muted, a new caller starts the waiting
 * conference, and when the participants with {@code endConferenceOnExit} hang up each conference
 * ends: its status callbacks come once each, numbered on from before the crash, the recording's
 * {@code completed} once, and the other participant's {@code <Dial>} action once with {@code
 * DialCallStatus=answered}. Nothing is hung up as an orphan and the store ends empty.
 */
class CrashRecoveryConferenceEndToEndTest extends CrashFixture {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WAITING_TO = "+15550009401";
  private static final String STARTED_TO = "+15550009402";
  private static final String MODERATOR = "+15557772002";
  private static final String LATE = "+15557772003";

  @Test
  void conferencesOutliveTheNode() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-conference");
    String ariUrl = startSimulator(dir, "*+155500094*");
    String store = storeUrl(dir);
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    String callbacks = " beep=\"false\" statusCallback=\"/conf-status\""
        + " statusCallbackEvent=\"start end join leave\"";
    app.on("/voice", r -> {
      boolean moderator = MODERATOR.equals(r.param("From")) || LATE.equals(r.param("From"));
      String room = r.param("To").equals(WAITING_TO) ? "waiting-room" : "started-room";
      String recorded = room.equals("started-room") ? " record=\"record-from-start\""
          + " trim=\"do-not-trim\" recordingStatusCallback=\"/conf-rec\""
          + " recordingStatusCallbackEvent=\"in-progress completed absent\"" : "";
      return Response.twiml("<Dial action=\"/confdialed\"><Conference" + callbacks + recorded
          + " waitUrl=\"/confwait\" startConferenceOnEnter=\"" + moderator
          + "\" endConferenceOnExit=\"" + moderator + "\">" + room + "</Conference></Dial>");
    });
    app.on("/confwait", r -> Response.twiml("<Pause length=\"60\"/>"));
    app.on("/confdialed", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);

    // One caller waits alone; two are in a started, recorded conference, one muted by the API.
    String waiting = sim.inboundCall("+15557772001", WAITING_TO);
    String waitingSid = E2eHarness.callSid(waiting);
    app.await("/confwait", waitingSid, WAIT);
    String member = sim.inboundCall("+15557772004", STARTED_TO);
    String memberSid = E2eHarness.callSid(member);
    app.await(r -> event(r, "participant-join") && memberSid.equals(r.param("CallSid")),
        "the member in", WAIT);
    String moderator = sim.inboundCall(MODERATOR, STARTED_TO);
    TestTwimlApp.Request started = app.await(r -> event(r, "conference-start"),
        "the conference started", WAIT);
    String conferenceSid = started.param("ConferenceSid");
    app.await(r -> r.path().equals("/conf-rec") && "in-progress".equals(
        r.param("RecordingStatus")), "the recording started", WAIT);
    ApiClient firstApi = firstNodeApi(dir);
    HttpResponse<String> muted = firstApi.twilioPost(participant(conferenceSid, memberSid),
        List.of(Map.entry("Muted", "true")), CrashableNode.ACCOUNT_SID, E2eHarness.AUTH_TOKEN);
    assertEquals(200, muted.statusCode(), muted.body());
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return stored.get("Conference|started-room") instanceof ConferenceRecord c && c.started()
          && c.members().size() == 2 && c.recording().isPresent()
          && c.members().get(0).muted()
          && stored.get("Conference|waiting-room") instanceof ConferenceRecord w && !w.started()
          && w.members().size() == 1
          && List.of(waitingSid, memberSid, E2eHarness.callSid(moderator)).stream().allMatch(
              sid -> stored.get("Call|" + sid) instanceof ScriptState st
                  && st.awaiting() instanceof ScriptState.Awaiting.Delegated d
                  && d.delegate() == ScriptState.Delegate.DIAL);
    }, "both conferences and their participants' calls in the store", WAIT);
    List<String> bridges = sim.bridges().stream().map(b -> b.id()).toList();
    assertEquals(2, bridges.size(), "the two conference bridges: " + bridges);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    startSecond(ariUrl, dir, store, WAIT);

    // The waiting caller's wait document is asked for again: it is in its conference again.
    awaitTrue(() -> app.requests().stream().filter(r -> r.path().equals("/confwait")
        && waitingSid.equals(r.param("CallSid"))).count() == 2, "the wait URL again", WAIT);
    ApiClient secondApi = new ApiClient(URI.create("http://127.0.0.1:"
        + second.httpAddress().getPort()));
    awaitTrue(() -> secondApi.twilioGet(participant(conferenceSid, memberSid),
        CrashableNode.ACCOUNT_SID, E2eHarness.AUTH_TOKEN).statusCode() == 200,
        "the member known to the second node", WAIT);
    JsonNode shown = JSON.readTree(secondApi.twilioGet(participant(conferenceSid, memberSid),
        CrashableNode.ACCOUNT_SID, E2eHarness.AUTH_TOKEN).body());
    assertTrue(shown.path("muted").asBoolean(), "still muted: " + shown);
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(member, moderator))), "the started conference's bridge outlived the node");
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().contains(waiting)),
        "the waiting caller still in its bridge");
    assertTrue(app.requests().stream().noneMatch(r -> r.path().equals("/confdialed")),
        "no Dial action before a conference ends");

    // A moderator starts the waiting conference; its callbacks are numbered on.
    String late = sim.inboundCall(LATE, WAITING_TO);
    app.await(r -> event(r, "conference-start") && "waiting-room".equals(
        r.param("FriendlyName")), "the waiting conference started", WAIT);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(waiting, late))), "both callers in the waiting room's bridge", WAIT);

    // The moderators leave: each conference ends, the other participant's Dial action follows.
    sim.callerHangup(moderator);
    assertEquals("answered", app.await("/confdialed", memberSid, WAIT).param("DialCallStatus"));
    sim.callerHangup(late);
    TestTwimlApp.Request dialed = app.await("/confdialed", waitingSid, WAIT);
    assertEquals("answered", dialed.param("DialCallStatus"));
    assertTrue(dialed.param("ConferenceSid").startsWith("CF"), dialed.param("ConferenceSid"));
    app.await(r -> r.path().equals("/conf-rec") && "completed".equals(
        r.param("RecordingStatus")), "the recording completed", WAIT);

    for (String sid : List.of(waitingSid, memberSid)) {
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up", WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "the bridges destroyed", WAIT);
    storeEmpties(store, WAIT);
    assertEquals(List.of("participant-join:" + memberSid, "participant-join:" + E2eHarness.callSid(moderator),
        "conference-start", "participant-leave:" + E2eHarness.callSid(moderator),
        "participant-leave:" + memberSid, "conference-end"), events("started-room"),
        "the started conference's callbacks, once each and in order");
    assertEquals(List.of("participant-join:" + waitingSid,
        "participant-join:" + E2eHarness.callSid(late), "conference-start",
        "participant-leave:" + E2eHarness.callSid(late), "participant-leave:" + waitingSid,
        "conference-end"), events("waiting-room"),
        "the waiting conference's callbacks, once each and in order");
    assertEquals(List.of("in-progress", "completed"), app.requests().stream()
        .filter(r -> r.path().equals("/conf-rec")).map(r -> r.param("RecordingStatus")).toList());
    assertEquals(2, app.requests().stream().filter(r -> r.path().equals("/confdialed")).count());
    for (String bridge : bridges) {
      assertEquals(1, sim.log().requests().stream().filter(r -> r.method().equals("DELETE")
          && r.path().endsWith("/bridges/" + bridge)).count(), "destroyed once, at its end: "
          + bridge);
    }
    assertEquals(1, hangups(member), "the member hung up by its script, not as an orphan");
    assertEquals(1, hangups(waiting), "the waiting caller hung up by its script");
    assertEquals(0, hangups(moderator), "the moderator hung up itself");
    assertEquals(0, hangups(late), "the late moderator hung up itself");
  }

  private static boolean event(TestTwimlApp.Request r, String event) {
    return r.path().equals("/conf-status") && event.equals(r.param("StatusCallbackEvent"));
  }

  /**
   * The status callbacks of {@code room}, {@code event[:CallSid]}, in SequenceNumber order; fails
   * when a number repeats or one is missing.
   */
  private List<String> events(String room) {
    List<TestTwimlApp.Request> sent = app.requests().stream()
        .filter(r -> r.path().equals("/conf-status") && room.equals(r.param("FriendlyName")))
        .sorted(java.util.Comparator.comparingInt(r -> Integer.parseInt(r.param("SequenceNumber"))))
        .toList();
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(Integer.toString(i + 1), sent.get(i).param("SequenceNumber"),
          "SequenceNumbers of " + room + ": " + sent.stream()
              .map(r -> r.param("SequenceNumber")).toList());
    }
    return sent.stream().map(r -> r.param("StatusCallbackEvent")
        + (r.param("CallSid") == null ? "" : ":" + r.param("CallSid"))).toList();
  }

  private static String participant(String conferenceSid, String callSid) {
    return "/2010-04-01/Accounts/" + CrashableNode.ACCOUNT_SID + "/Conferences/" + conferenceSid
        + "/Participants/" + callSid + ".json";
  }
}
