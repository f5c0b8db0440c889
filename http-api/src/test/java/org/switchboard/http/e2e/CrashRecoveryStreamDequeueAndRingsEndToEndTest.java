package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.engine.ring.QueueDequeueRecord;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.stream.TestApp;

/**
 * Three more calls outlive the node, on {@link CrashFixture}: a caller in {@code <Connect><Stream>}
 * goes on at the Connect's action with {@code StreamError} (its application's WebSocket went with
 * the node) and the stream's ExternalMedia channel and bridge are removed, not left behind nor
 * taken for the call's; an agent's {@code <Dial><Queue>} caught while the {@code <Queue url>}
 * announcement plays to the caller it took out of the queue bridges that caller after the restart
 * and both actions come once; two {@code /ring}s of one caller ringing at the crash are both taken
 * back: a leg of the first one answers and wins its ring, the second ring's leg is cancelled when
 * the caller hangs up. Every status callback comes once and nothing is hung up as an orphan.
 */
class CrashRecoveryStreamDequeueAndRingsEndToEndTest extends CrashFixture {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STREAM_TO = "+15550009501";
  private static final String QUEUE_TO = "+15550009502";
  private static final String AGENT_TO = "+15550009503";
  private static final String HOLD_TO = "+15550009504";
  private static final List<String> VOLUNTEERS = List.of("+15550009601", "+15550009602");

  @Test
  void aStreamADequeuedCallerAndTwoRingsOutliveTheNode() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-stream");
    String ariUrl = startSimulator(dir, "*+155500096*");
    String store = storeUrl(dir);
    TestApp streams = streamApp();
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> switch (r.param("To")) {
      case STREAM_TO -> Response.twiml("<Connect action=\"/connected\"><Stream url=\""
          + streams.url() + "\"/></Connect>");
      case AGENT_TO -> Response.twiml(
          "<Dial action=\"/agentdialed\"><Queue url=\"/announce\">support</Queue></Dial>");
      case HOLD_TO -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">hold</Enqueue>");
      default -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue>");
    });
    app.on("/connected", r -> Response.twiml("<Hangup/>"));
    app.on("/announce", r -> Response.twiml("<Play loop=\"8\">sound:demo-congrats</Play>"));
    app.on("/wait", r -> Response.twiml("<Pause length=\"60\"/>"));
    app.on("/left", r -> Response.twiml("<Hangup/>"));
    app.on("/agentdialed", r -> Response.twiml("<Hangup/>"));
    app.on("/volunteer", r -> Response.twiml(
        "<Dial action=\"/voldialed\"><Queue>hold</Queue></Dial>"));
    app.on("/voldialed", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);

    // A caller streams to the application.
    String streaming = sim.inboundCall("+15557773001", STREAM_TO);
    String streamingSid = E2eHarness.callSid(streaming);
    assertEquals("connected", event(streams));
    assertEquals("start", event(streams));
    awaitTrue(() -> sim.channels().size() > 1, "the stream's ExternalMedia channel", WAIT);

    // An agent took a caller out of the queue; the announcement plays, the bridge is not made.
    String caller = sim.inboundCall("+15557773002", QUEUE_TO);
    String callerSid = E2eHarness.callSid(caller);
    app.await("/wait", callerSid, WAIT);
    String agent = sim.inboundCall("+15557773003", AGENT_TO);
    String agentSid = E2eHarness.callSid(agent);
    app.await("/announce", callerSid, WAIT);
    awaitTrue(() -> {
      Map<String, Object> stored = storedValues(store);
      return stored.get("Dial|" + agentSid) instanceof QueueDequeueRecord d
          && d.memberCallSid().equals(callerSid)
          && takenFromQueue(stored.get("Call|" + callerSid));
    }, "the dequeue and the dequeued caller in the store", WAIT);

    // Two rings of one caller on hold, one volunteer each, both ringing.
    String held = sim.inboundCall("+15557773004", HOLD_TO);
    String heldSid = E2eHarness.callSid(held);
    app.await("/wait", heldSid, WAIT);
    ApiClient firstApi = firstNodeApi(dir);
    List<String> legSids = new java.util.ArrayList<>();
    List<String> legChannels = new java.util.ArrayList<>();
    for (String volunteer : VOLUNTEERS) {
      HttpResponse<String> rang = firstApi.signedPost("/ring", "{\"parentCallSid\":\"" + heldSid
          + "\",\"callerNumber\":\"+15557773004\",\"timeout\":300,\"answerUrl\":\""
          + app.url("/volunteer") + "\",\"statusCallback\":\"" + app.url("/ring-status")
          + "\",\"volunteers\":[{\"pubkey\":\"" + volunteer + "\",\"phone\":\"" + volunteer
          + "\"}]}", E2eHarness.BRIDGE_SECRET);
      assertEquals(200, rang.statusCode(), rang.body());
      JsonNode leg = JSON.readTree(rang.body()).path("legs").get(0);
      legSids.add(leg.path("legSid").asText());
      legChannels.add(leg.path("channelId").asText());
    }
    for (String sid : legSids) {
      app.await(r -> r.path().equals("/ring-status") && sid.equals(r.param("CallSid"))
          && "ringing".equals(r.param("CallStatus")), "ringing of " + sid, WAIT);
    }
    awaitTrue(() -> storedRings(storedValues(store), heldSid).size() == 2,
        "both rings in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    List<Long> lookupsBefore = legChannels.stream().map(this::lookups).toList();
    startSecond(ariUrl, dir, store, WAIT);

    // The stream's call goes on at its action; the stream's resources go.
    TestTwimlApp.Request connected = app.await("/connected", streamingSid, WAIT);
    assertTrue(connected.param("StreamError") != null, "the stream ended with an error");

    // The dequeued caller is bridged with its agent; the agent hangs up: both actions once.
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(caller, agent))), "the dequeued caller bridged with its agent", WAIT);
    sim.callerHangup(agent);
    TestTwimlApp.Request left = app.await("/left", callerSid, WAIT);
    assertEquals("bridged", left.param("QueueResult"));
    TestTwimlApp.Request dialed = app.await("/agentdialed", agentSid, WAIT);
    assertEquals("completed", dialed.param("DialCallStatus"));
    assertEquals(callerSid, dialed.param("DialCallSid"));

    // Both rings are back: the first ring's volunteer answers and takes the caller.
    for (int i = 0; i < legChannels.size(); i++) {
      String channel = legChannels.get(i);
      long before = lookupsBefore.get(i);
      awaitTrue(() -> lookups(channel) > before, channel + " taken back", WAIT);
    }
    sim.answerLeg(legChannels.get(0));
    assertEquals(heldSid, app.await("/volunteer", legSids.get(0), WAIT).param("ParentCallSid"));
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(held, legChannels.get(0)))), "the caller bridged with the volunteer", WAIT);
    sim.callerHangup(held);
    assertEquals("bridged", app.await("/left", heldSid, WAIT).param("QueueResult"));
    assertEquals("completed", app.await("/voldialed", legSids.get(0), WAIT)
        .param("DialCallStatus"));
    app.await(r -> r.path().equals("/ring-status") && legSids.get(1).equals(r.param("CallSid"))
        && "canceled".equals(r.param("CallStatus")), "the second ring's leg cancelled", WAIT);

    for (String sid : List.of(streamingSid, callerSid, agentSid, heldSid)) {
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up, the stream's too: "
        + sim.channels().stream().map(AriSimulator.ChannelView::id).toList(), WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "every bridge destroyed, the stream's too", WAIT);
    storeEmpties(store, WAIT);
    List<String> all = List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3");
    for (String sid : List.of(streamingSid, callerSid, agentSid, heldSid)) {
      assertEquals(all, callbacks("/status", sid), "callbacks of " + sid);
    }
    assertEquals(all, callbacks("/ring-status", legSids.get(0)), "the winner's callbacks");
    assertEquals(List.of("initiated:0", "ringing:1", "canceled:2"),
        callbacks("/ring-status", legSids.get(1)), "the second ring's leg");
    assertEquals(1, count("/connected"), "the Connect action once");
    assertEquals(1, count("/agentdialed"), "the agent's Dial action once");
    assertEquals(1, count("/volunteer"), "one answer URL request");
    assertEquals(1, hangups(streaming), "the streaming caller hung up by its script");
    assertEquals(1, hangups(caller), "the dequeued caller hung up by its script");
    assertEquals(0, hangups(agent), "the agent hung up itself");
    assertEquals(0, hangups(held), "the held caller hung up itself");
    assertEquals(1, hangups(legChannels.get(0)), "the winner hung up by its script");
    assertEquals(1, hangups(legChannels.get(1)), "the other ring's leg cancelled once");
  }

  /** The next event the stream application receives (a loaded machine may take a while). */
  private static String event(TestApp streams) throws InterruptedException {
    JsonNode message = streams.poll(WAIT.toMillis());
    assertTrue(message != null, "the stream application received nothing within " + WAIT);
    return message.path("event").asText();
  }

  private long count(String path) {
    return app.requests().stream().filter(r -> r.path().equals(path)).count();
  }
}
