package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.engine.ring.DialSequence;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.ring.QueueDialRecord;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Durable calls over real sockets, the calls {@link CrashRecoveryEndToEndTest} leaves out, on its
 * fixture (a {@link CrashableNode} killed with SIGKILL, a new node on the same H2 file): an
 * agent's {@code <Dial><Queue>} bridged to the caller it took out of the queue stays bridged after
 * the restart; when the agent hangs up the caller's Enqueue action gets {@code
 * QueueResult=bridged} with the QueueTime of its wait and the agent's Dial action its duration
 * counted from the bridge before the crash. A REST-created call and the two legs of a {@code
 * /ring} that were ringing keep ringing: the REST call answered after the restart runs its Url,
 * the first ring leg to answer wins (the other is cancelled) and its answer URL takes the ring's
 * caller out of its queue; a {@code /ring} volunteer who answered before the crash and took its
 * caller out of the queue stays bridged, its answer URL's TwiML going on (its Dial action comes
 * when the caller hangs up); a sequential dial ringing its first number goes on with the second
 * when the first gives up. Every status callback comes once, in order, and nothing is hung up as
 * an orphan.
 */
class CrashRecoveryQueueAndLegsEndToEndTest extends CrashFixture {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUEUE_TO = "+15550009101";
  private static final String AGENT_TO = "+15550009102";
  private static final String HOLD_TO = "+15550009103";
  private static final String HOLD2_TO = "+15550009104";
  private static final String ANSWERING_VOLUNTEER = "+15550009301";
  private static final String SEQUENCE_TO = "+15550009105";
  private static final List<String> SEQUENCE = List.of("+15550009211", "+15550009212");
  private static final String REST_TO = "+15550009201";
  private static final List<String> VOLUNTEERS = List.of("+15550009202", "+15550009203");
  private static final List<String> ALL_EVENTS =
      List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3");

  @Test
  void queueBridgesAndStandaloneLegsOutliveTheNode() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-bridges");
    String ariUrl = startSimulator(dir, "*+155500092*");
    String store = storeUrl(dir);
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> switch (r.param("To")) {
      case AGENT_TO -> Response.twiml(
          "<Dial action=\"/agentdialed\"><Queue>sales</Queue></Dial>");
      case HOLD_TO -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">hold</Enqueue>");
      case HOLD2_TO -> Response.twiml(
          "<Enqueue waitUrl=\"/wait\" action=\"/left\">hold2</Enqueue>");
      case SEQUENCE_TO -> Response.twiml("<Dial action=\"/seqdialed\" sequential=\"true\""
          + " timeout=\"300\">" + SEQUENCE.stream().map(n -> "<Number>" + n + "</Number>")
              .collect(java.util.stream.Collectors.joining()) + "</Dial>");
      default -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">sales</Enqueue>");
    });
    app.on("/seqdialed", r -> Response.twiml("<Hangup/>"));
    app.on("/restanswer", r -> Response.twiml("<Hangup/>"));
    app.on("/volunteer", r -> Response.twiml(
        "<Dial action=\"/voldialed\"><Queue>hold</Queue></Dial>"));
    app.on("/voldialed", r -> Response.twiml("<Hangup/>"));
    app.on("/volunteer2", r -> Response.twiml(
        "<Dial action=\"/voldialed\"><Queue>hold2</Queue></Dial>"));
    app.on("/wait", r -> Response.twiml("<Pause length=\"60\"/>"));
    app.on("/left", r -> Response.twiml("<Hangup/>"));
    app.on("/agentdialed", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);

    String caller = sim.inboundCall("+15557771001", QUEUE_TO);
    String callerSid = E2eHarness.callSid(caller);
    Instant joined = Instant.now();
    app.await("/wait", callerSid, WAIT);
    String agent = sim.inboundCall("+15557771002", AGENT_TO);
    String agentSid = E2eHarness.callSid(agent);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(caller, agent))), "the caller bridged with the agent", WAIT);
    Instant bridged = Instant.now();
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return stored.get("Dial|" + agentSid) instanceof QueueDialRecord q
          && q.bridged().legCallSid().equals(callerSid)
          && takenFromQueue(stored.get("Call|" + callerSid));
    }, "the queue dial and the bridged caller in the store", WAIT);

    // A /ring's volunteer answered and took its caller out of the queue: bridged, all stored.
    String held2 = sim.inboundCall("+15557771005", HOLD2_TO);
    String held2Sid = E2eHarness.callSid(held2);
    app.await("/wait", held2Sid, WAIT);
    ApiClient firstApi = firstNodeApi(dir);
    HttpResponse<String> rang2 = firstApi.signedPost("/ring", "{\"parentCallSid\":\"" + held2Sid
        + "\",\"callerNumber\":\"+15557771005\",\"timeout\":60,\"answerUrl\":\""
        + app.url("/volunteer2") + "\",\"statusCallback\":\"" + app.url("/ring-status")
        + "\",\"volunteers\":[{\"pubkey\":\"v3\",\"phone\":\"" + ANSWERING_VOLUNTEER + "\"}]}",
        E2eHarness.BRIDGE_SECRET);
    assertEquals(200, rang2.statusCode(), rang2.body());
    JsonNode leg2 = JSON.readTree(rang2.body()).path("legs").get(0);
    String vol2 = leg2.path("channelId").asText();
    String vol2Sid = leg2.path("legSid").asText();
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(held2, vol2))), "the second held caller bridged with its volunteer", WAIT);
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return storedRings(stored, held2Sid).stream().anyMatch(r -> r.winner().isPresent())
          && stored.get("Leg|" + vol2Sid) instanceof LegRecord l && l.answeredAt().isPresent()
          && stored.get("LegScript|" + vol2Sid) instanceof ScriptState
          && stored.get("Dial|" + vol2Sid) instanceof QueueDialRecord;
    }, "the answered ring, its leg's TwiML and its queue dial in the store", WAIT);

    // A REST call and a /ring of two volunteers for a caller on hold ring; all in the store.
    HttpResponse<String> created = firstApi.twilioPost(calls(""), List.of(Map.entry("To", REST_TO),
        Map.entry("From", "+15557771003"), Map.entry("Url", app.url("/restanswer").toString()),
        Map.entry("StatusCallback", app.url("/rest-status").toString()), Map.entry("Timeout", "600"),
        Map.entry("StatusCallbackEvent", "initiated"), Map.entry("StatusCallbackEvent", "ringing"),
        Map.entry("StatusCallbackEvent", "answered"),
        Map.entry("StatusCallbackEvent", "completed")),
        CrashableNode.ACCOUNT_SID, E2eHarness.AUTH_TOKEN);
    assertEquals(201, created.statusCode(), created.body());
    String restSid = JSON.readTree(created.body()).path("sid").asText();
    String held = sim.inboundCall("+15557771004", HOLD_TO);
    String heldSid = E2eHarness.callSid(held);
    app.await("/wait", heldSid, WAIT);
    String ring = "{\"parentCallSid\":\"" + heldSid + "\",\"callerNumber\":\"+15557771004\","
        + "\"timeout\":300,\"answerUrl\":\"" + app.url("/volunteer") + "\",\"statusCallback\":\""
        + app.url("/ring-status") + "\",\"volunteers\":["
        + "{\"pubkey\":\"v1\",\"phone\":\"" + VOLUNTEERS.get(0) + "\"},"
        + "{\"pubkey\":\"v2\",\"phone\":\"" + VOLUNTEERS.get(1) + "\"}]}";
    HttpResponse<String> rang = firstApi.signedPost("/ring", ring, E2eHarness.BRIDGE_SECRET);
    assertEquals(200, rang.statusCode(), rang.body());
    Map<String, String> legChannels = new java.util.HashMap<>();
    Map<String, String> legSids = new java.util.HashMap<>();
    for (JsonNode leg : JSON.readTree(rang.body()).path("legs")) {
      String number = VOLUNTEERS.get(leg.path("id").asText().equals("v1") ? 0 : 1);
      legChannels.put(number, leg.path("channelId").asText());
      legSids.put(number, leg.path("legSid").asText());
    }
    assertEquals(2, legSids.size(), rang.body());
    app.await(r -> r.path().equals("/rest-status") && restSid.equals(r.param("CallSid"))
        && "ringing".equals(r.param("CallStatus")), "the REST call ringing", WAIT);
    for (String sid : legSids.values()) {
      app.await(r -> r.path().equals("/ring-status") && sid.equals(r.param("CallSid"))
          && "ringing".equals(r.param("CallStatus")), "ringing of " + sid, WAIT);
    }
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return storedRings(stored, heldSid).stream().anyMatch(r -> r.legs().size() == 2)
          && stored.get("Leg|" + restSid) instanceof LegRecord l && l.ringReported()
          && legSids.values().stream().allMatch(sid -> stored.get("Leg|" + sid)
              instanceof LegRecord v && v.ringReported());
    }, "the ring and the legs in the store", WAIT);
    String restChannel = sim.channels().stream().map(AriSimulator.ChannelView::id)
        .filter(c -> E2eHarness.callSid(c).equals(restSid)).findFirst().orElseThrow();

    // A sequential dial rings its first number; the second is not started yet.
    String sequence = sim.inboundCall("+15557771006", SEQUENCE_TO);
    String sequenceSid = E2eHarness.callSid(sequence);
    awaitTrue(() -> originations(SEQUENCE.get(0)).size() == 1, "the sequence's first leg", WAIT);
    String firstOfSequence = originations(SEQUENCE.get(0)).get(0);
    awaitTrue(() -> storedValues(store).get("Dial|" + sequenceSid) instanceof DialSequence q
        && q.current() == 0 && storedValues(store).containsKey(
            "Leg|" + E2eHarness.callSid(firstOfSequence)), "the sequence in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    long bridgeLookupsBefore = bridgeLookups();
    Map<String, Long> lookupsBefore = new java.util.HashMap<>();
    for (String channel : concat(concat(legChannels.values(), restChannel), firstOfSequence)) {
      lookupsBefore.put(channel, lookups(channel));
    }

    startSecond(ariUrl, dir, store, WAIT);
    awaitTrue(() -> bridgeLookups() > bridgeLookupsBefore,
        "the agent's dial asked Asterisk about its bridge", WAIT);
    // The caller's call resumed too (its Reconcile), and neither Enqueue nor Dial ended.
    awaitTrue(() -> live(callerSid) && live(agentSid), "both calls live again", WAIT);
    assertTrue(app.requests().stream().noneMatch(r -> r.path().equals("/left")
        || r.path().equals("/agentdialed")), "no action before the bridge ends");
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(caller, agent))), "the bridge outlived the node");

    // The REST call and the ring's legs are taken back (Asterisk asked about each) and ring on.
    for (String channel : lookupsBefore.keySet()) {
      awaitTrue(() -> lookups(channel) > lookupsBefore.get(channel), channel + " taken back",
          WAIT);
    }
    sim.answerLeg(restChannel);
    app.await("/restanswer", restSid, WAIT);
    String winner = VOLUNTEERS.get(1);
    String loser = VOLUNTEERS.get(0);
    sim.answerLeg(legChannels.get(winner));
    TestTwimlApp.Request volunteer = app.await(r -> r.path().equals("/volunteer"), "the answer URL",
        WAIT);
    assertEquals(legSids.get(winner), volunteer.param("CallSid"));
    assertEquals(heldSid, volunteer.param("ParentCallSid"));
    app.await(r -> r.path().equals("/ring-status") && legSids.get(loser).equals(r.param("CallSid"))
        && "canceled".equals(r.param("CallStatus")), "the other leg cancelled", WAIT);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(held, legChannels.get(winner)))), "the held caller bridged with the winner", WAIT);
    sim.callerHangup(held);
    assertEquals("bridged", app.await("/left", heldSid, WAIT).param("QueueResult"));
    assertEquals("completed", app.await("/voldialed", legSids.get(winner), WAIT)
        .param("DialCallStatus"));

    // The answered volunteer's TwiML went on: its bridge holds; the caller hangs up: both actions.
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(held2, vol2))), "the volunteer's bridge outlived the node");
    sim.callerHangup(held2);
    assertEquals("bridged", app.await("/left", held2Sid, WAIT).param("QueueResult"));
    assertEquals("completed", app.await("/voldialed", vol2Sid, WAIT).param("DialCallStatus"));
    assertEquals(ALL_EVENTS, awaitCallbacks("/ring-status", vol2Sid, 4),
        "the answered volunteer's callbacks");

    // The sequence goes on: its first number gives up, the second rings and answers.
    assertEquals(List.of(), originations(SEQUENCE.get(1)), "the second number not rung yet");
    sim.callerHangup(firstOfSequence);
    awaitTrue(() -> originations(SEQUENCE.get(1)).size() == 1, "the sequence's second leg", WAIT);
    String secondOfSequence = originations(SEQUENCE.get(1)).get(0);
    sim.answerLeg(secondOfSequence);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(sequence, secondOfSequence))), "the sequence's caller bridged", WAIT);
    sim.callerHangup(secondOfSequence);
    TestTwimlApp.Request seqDialed = app.await("/seqdialed", sequenceSid, WAIT);
    assertEquals("completed", seqDialed.param("DialCallStatus"));
    assertEquals(E2eHarness.callSid(secondOfSequence), seqDialed.param("DialCallSid"));

    sim.callerHangup(agent);
    Instant hungUp = Instant.now();
    TestTwimlApp.Request left = app.await("/left", callerSid, WAIT);
    assertEquals("bridged", left.param("QueueResult"));
    assertTrue(Long.parseLong(left.param("QueueTime"))
        <= Duration.between(joined, bridged).toSeconds() + 1,
        "QueueTime is the wait before the dequeue: " + left.param("QueueTime"));
    assertTrue(left.param("QueueSid").startsWith("QU"), left.param("QueueSid"));
    TestTwimlApp.Request dialed = app.await("/agentdialed", agentSid, WAIT);
    assertEquals("completed", dialed.param("DialCallStatus"));
    assertEquals(callerSid, dialed.param("DialCallSid"));
    assertTrue(Long.parseLong(dialed.param("DialCallDuration"))
        >= Duration.between(bridged, hungUp).toSeconds() - 1,
        "the bridge counts from before the crash: " + dialed.param("DialCallDuration"));

    for (String sid : List.of(callerSid, agentSid, heldSid, held2Sid, sequenceSid)) {
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    app.await(r -> r.path().equals("/rest-status") && restSid.equals(r.param("CallSid"))
        && "completed".equals(r.param("CallStatus")), "completed of the REST call", WAIT);
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up", WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "the bridge destroyed", WAIT);
    // No row left behind, not even an empty one of a leg that passivated.
    storeEmpties(store, WAIT);
    for (String sid : List.of(callerSid, agentSid, heldSid, held2Sid, sequenceSid)) {
      assertEquals(ALL_EVENTS, callbacks("/status", sid), "callbacks of " + sid);
    }
    assertEquals(ALL_EVENTS, callbacks("/rest-status", restSid), "callbacks of the REST call");
    assertEquals(ALL_EVENTS, callbacks("/ring-status", legSids.get(winner)), "the winner's");
    assertEquals(List.of("initiated:0", "ringing:1", "canceled:2"),
        callbacks("/ring-status", legSids.get(loser)), "the other leg's callbacks");
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/volunteer")).count(),
        "one answer URL request");
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/restanswer")).count(),
        "the REST call's Url requested once");
    assertEquals(1, hangups(legChannels.get(loser)), "the other leg cancelled, not an orphan");
    assertEquals(3, app.requests().stream().filter(r -> r.path().equals("/left")).count());
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/volunteer2")).count(),
        "the answered volunteer's answer URL not requested again");
    assertEquals(2, app.requests().stream().filter(r -> r.path().equals("/voldialed")).count());
    assertEquals(0, hangups(held2), "the second held caller hung up itself");
    assertEquals(1, hangups(vol2), "the answered volunteer hung up by its script");
    assertEquals(1, app.requests().stream().filter(r -> r.path().equals("/agentdialed")).count());
    assertEquals(1, hangups(caller), "the caller hung up by its script, not as an orphan");
    assertEquals(0, hangups(held), "the held caller hung up itself");
    assertEquals(1, hangups(legChannels.get(winner)), "the winner hung up by its script");
    assertEquals(0, hangups(agent), "the agent hung up itself");
    assertEquals(1, hangups(restChannel), "the REST call hung up by its script");
  }

  private boolean live(String callSid) {
    try {
      return second.operations().snapshot(callSid).toCompletableFuture()
          .get(10, TimeUnit.SECONDS).isPresent();
    } catch (Exception e) {
      return false;
    }
  }

  /** The channel ids of the legs originated to {@code number}, in order. */
  private List<String> originations(String number) {
    List<String> out = new java.util.ArrayList<>();
    for (var r : sim.log().requests()) {
      if (r.method().equals("POST") && r.path().endsWith("/channels") && r.query() != null
          && java.net.URLDecoder.decode(r.query(), java.nio.charset.StandardCharsets.UTF_8)
              .contains(number)) {
        for (String pair : r.query().split("&")) {
          if (pair.startsWith("channelId=")) {
            out.add(java.net.URLDecoder.decode(pair.substring("channelId=".length()),
                java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }

  private List<String> awaitCallbacks(String path, String sid, int count) {
    awaitTrue(() -> callbacks(path, sid).size() >= count, count + " callbacks of " + sid, WAIT);
    return callbacks(path, sid);
  }

  private static String calls(String rest) {
    return "/2010-04-01/Accounts/" + CrashableNode.ACCOUNT_SID + "/Calls" + rest + ".json";
  }

  private long bridgeLookups() {
    return sim.log().requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().contains("/bridges/")).count();
  }
}
