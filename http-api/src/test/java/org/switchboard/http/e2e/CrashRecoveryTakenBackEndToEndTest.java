package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.engine.conference.ConferenceRecord;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.QueueDequeueRecord;
import org.switchboard.engine.ring.QueueWaitRecord;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.stream.TestApp;

/**
 * More of what a call leaves on Asterisk is taken back after a restart, on {@link CrashFixture} (a
 * {@link CrashableNode} killed with SIGKILL, a new node on the same H2 file), one case per test:
 * each ends with every channel hung up, every bridge destroyed and the store empty, and nothing
 * hung up as an orphan.
 */
class CrashRecoveryTakenBackEndToEndTest extends CrashFixture {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String AGENT_TO = "+15550009801";
  private static final String ANNOUNCING_AGENT_TO = "+15550009803";
  private static final List<String> ALL =
      List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3");

  /**
   * A coach ({@code <Conference coach>}) whispering to a participant at the crash: after the
   * restart the room takes the pair back as Asterisk still holds it (no second pair is made), and
   * when the coached participant hangs up the pair's snoops and bridge go while the coach stays in
   * the conference.
   */
  @Test
  void aCoachingPairIsTakenBackAndTakenApartWhenTheCoachedParticipantLeaves() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-coach");
    String ariUrl = startSimulator(dir, "*+155500097*");
    String store = storeUrl(dir);
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    AtomicReference<String> coachedSid = new AtomicReference<>("");
    String room = "<Dial action=\"/confdialed\"><Conference beep=\"false\""
        + " startConferenceOnEnter=\"true\"%s>coached-room</Conference></Dial>";
    app.on("/voice", r -> Response.twiml(String.format(room, r.param("From").equals("+15557774003")
        ? " coach=\"" + coachedSid.get() + "\"" : "")));
    app.on("/confdialed", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);

    String coached = sim.inboundCall("+15557774001", "+15550009701");
    coachedSid.set(E2eHarness.callSid(coached));
    String other = sim.inboundCall("+15557774002", "+15550009701");
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(coached, other))), "two participants in the conference", WAIT);
    String coach = sim.inboundCall("+15557774003", "+15550009701");
    String coachSid = E2eHarness.callSid(coach);
    String pairBridge = coachSid + "-br-coach";
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.id().equals(pairBridge)
        && b.channels().size() == 2), "the coaching pair's bridge with both snoops", WAIT);
    awaitTrue(() -> storedValues(store).get("Conference|coached-room") instanceof ConferenceRecord c
        && c.members().size() == 3, "the three participants in the store", WAIT);
    List<String> snoops = sim.bridges().stream().filter(b -> b.id().equals(pairBridge))
        .findFirst().orElseThrow().channels();

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    startSecond(ariUrl, dir, store, WAIT);

    awaitTrue(() -> sim.log().requests().stream().anyMatch(r -> r.method().equals("GET")
        && r.path().endsWith("/bridges/" + pairBridge)), "the pair asked about", WAIT);
    assertTrue(sim.channels().stream().map(AriSimulator.ChannelView::id).toList()
        .containsAll(snoops), "the pair still whole after the restart");

    // The coached participant leaves: the pair goes, the coach stays with the other participant.
    sim.callerHangup(coached);
    awaitTrue(() -> sim.bridges().stream().noneMatch(b -> b.id().equals(pairBridge)),
        "the pair's bridge destroyed", WAIT);
    awaitTrue(() -> sim.channels().stream().noneMatch(c -> snoops.contains(c.id())),
        "the pair's snoops hung up", WAIT);
    assertTrue(sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(coach, other))), "the coach still in the conference");

    sim.callerHangup(other);
    sim.callerHangup(coach);
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up: "
        + sim.channels().stream().map(AriSimulator.ChannelView::id).toList(), WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "every bridge destroyed", WAIT);
    storeEmpties(store, WAIT);
    assertEquals(2, sim.log().requests().stream().filter(r -> r.method().equals("POST")
        && r.path().contains("/snoop")).count(), "one pair, never made again");
    for (String channel : List.of(coached, other, coach)) {
      assertEquals(0, hangups(channel), channel + " hung up itself, never as an orphan");
    }
  }

  /**
   * An agent's {@code <Dial><Queue>} waiting for a caller at the crash waits on after the restart
   * (it does not end {@code failed}): the first caller to come is bridged with the agent, and both
   * actions and every status callback come once.
   */
  @Test
  void aQueueDialWaitingForACallerWaitsOnAndTakesTheFirstCallerAfterTheRestart() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-queue-wait");
    String ariUrl = startSimulator(dir, "*+155500098*");
    String store = storeUrl(dir);
    app = queueApp();

    startFirst(ariUrl, dir, store);
    String agent = sim.inboundCall("+15557775001", AGENT_TO);
    String agentSid = E2eHarness.callSid(agent);
    awaitTrue(() -> storedValues(store).get("Dial|" + agentSid) instanceof QueueWaitRecord w
        && w.queueName().equals("support"), "the agent's wait in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    startSecond(ariUrl, dir, store, WAIT);

    String caller = agentTakesTheNextCaller(agent, store);
    assertEquals(ALL, callbacks("/status", E2eHarness.callSid(caller)));
  }

  /**
   * A caller comes after the restart and is bridged with {@code agent}, who hangs up: the
   * caller's Enqueue action says {@code bridged}, the agent's Dial action (once) names the caller,
   * both calls complete with every callback once, nothing is left; answers the caller's channel.
   */
  private String agentTakesTheNextCaller(String agent, String store) throws Exception {
    String agentSid = E2eHarness.callSid(agent);
    String caller = sim.inboundCall("+15557775002", "+15550009802");
    String callerSid = E2eHarness.callSid(caller);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(caller, agent))), "the caller bridged with the waiting agent", WAIT);
    sim.callerHangup(agent);
    assertEquals("bridged", app.await("/left", callerSid, WAIT).param("QueueResult"));
    TestTwimlApp.Request dialed = app.await("/agentdialed", agentSid, WAIT);
    assertEquals("completed", dialed.param("DialCallStatus"));
    assertEquals(callerSid, dialed.param("DialCallSid"));
    for (String sid : List.of(agentSid, callerSid)) {
      app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + sid, WAIT);
    }
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up", WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "every bridge destroyed", WAIT);
    storeEmpties(store, WAIT);
    assertEquals(ALL, callbacks("/status", agentSid), "the agent's callbacks");
    assertEquals(1, count("/agentdialed"), "the agent's Dial action once");
    assertEquals(0, hangups(agent), "the agent hung up itself");
    // The simulator logs a request once it has run it, so the channel can be gone before its
    // DELETE is in the log.
    awaitTrue(() -> hangups(caller) > 0, "the caller's hangup in the simulator's log", WAIT);
    assertEquals(1, hangups(caller), "the caller hung up by its script");
    return caller;
  }

  /**
   * An agent's {@code <Dial><Queue url>} had taken a caller out of the queue (the announcement
   * playing to it) when the node died, and the caller hung up while no node ran: the stored
   * dequeue is stale. After the restart nothing is bridged to the gone caller and the agent's dial
   * does not end: it waits for the next caller, who is bridged with the agent; the gone caller's
   * call ends with its {@code completed}, nothing of it hung up again, and its dequeue leaves the
   * store.
   */
  @Test
  void aStaleDequeueOfACallerWhoLeftIsDroppedAndTheAgentWaitsForTheNext() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-stale-dequeue");
    String ariUrl = startSimulator(dir, "*+155500098*");
    String store = storeUrl(dir);
    app = queueApp();

    startFirst(ariUrl, dir, store);
    String gone = sim.inboundCall("+15557775003", "+15550009802");
    String goneSid = E2eHarness.callSid(gone);
    app.await("/wait", goneSid, WAIT);
    String agent = sim.inboundCall("+15557775004", ANNOUNCING_AGENT_TO);
    String agentSid = E2eHarness.callSid(agent);
    app.await("/announce", goneSid, WAIT);
    awaitTrue(() -> storedValues(store).get("Dial|" + agentSid) instanceof QueueDequeueRecord d
        && d.memberCallSid().equals(goneSid), "the dequeue in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    sim.callerHangup(gone);
    startSecond(ariUrl, dir, store, WAIT);

    app.await(r -> r.path().equals("/status") && goneSid.equals(r.param("CallSid"))
        && "completed".equals(r.param("CallStatus")), "completed of the caller who left", WAIT);
    agentTakesTheNextCaller(agent, store);
    assertEquals(ALL, callbacks("/status", goneSid), "callbacks of the caller who left");
    assertEquals(0, hangups(gone), "the caller who left is not hung up again");
  }

  /**
   * Agents ({@link #AGENT_TO}) {@code <Dial><Queue>support</Queue>} for up to 300 s, those of
   * {@link #ANNOUNCING_AGENT_TO} with {@code url="/announce"} (two minutes of it the first time, a
   * beep after); everyone else waits in {@code support}.
   */
  private static TestTwimlApp queueApp() throws java.io.IOException {
    TestTwimlApp queues = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    queues.on("/voice", r -> switch (r.param("To")) {
      case AGENT_TO -> Response.twiml("<Dial action=\"/agentdialed\" timeout=\"300\"><Queue>"
          + "support</Queue></Dial>");
      case ANNOUNCING_AGENT_TO -> Response.twiml("<Dial action=\"/agentdialed\" timeout=\"300\">"
          + "<Queue url=\"/announce\">support</Queue></Dial>");
      default -> Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue>");
    });
    AtomicInteger announced = new AtomicInteger();
    queues.on("/announce", r -> Response.twiml(announced.getAndIncrement() == 0
        ? "<Play loop=\"8\">sound:demo-congrats</Play>" : "<Play>sound:beep</Play>"));
    queues.on("/wait", r -> Response.twiml("<Pause length=\"60\"/>"));
    queues.on("/left", r -> Response.twiml("<Hangup/>"));
    queues.on("/agentdialed", r -> Response.twiml("<Hangup/>"));
    return queues;
  }

  private long count(String path) {
    return app.requests().stream().filter(r -> r.path().equals(path)).count();
  }

  /**
   * A stream's bridge that outlived the node and that the first removal after the restart could
   * not destroy (Asterisk answered 500) is listed again by a later resync, when the call has
   * resumed at its {@code <Connect>} action: the running call removes it then, rather than leave
   * it for good; the call's own channel stays.
   */
  @Test
  void aStreamLeftoverListedAfterTheCallResumedIsRemoved() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-stream-leftover");
    String ariUrl = startSimulator(dir, "*+155500099*");
    String store = storeUrl(dir);
    TestApp streams = streamApp();
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> Response.twiml("<Connect action=\"/connected\"><Stream url=\""
        + streams.url() + "\"/></Connect>"));
    app.on("/connected", r -> Response.twiml("<Pause length=\"600\"/>"));

    startFirst(ariUrl, dir, store);
    String streaming = sim.inboundCall("+15557776001", "+15550009901");
    String streamingSid = E2eHarness.callSid(streaming);
    String streamBridge = streamingSid + "-br-stream-1";
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.id().equals(streamBridge)
        && b.channels().size() == 2), "the stream's bridge with the caller", WAIT);
    awaitTrue(() -> storedValues(store).containsKey("Call|" + streamingSid),
        "the streaming call in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    sim.injectFault(SimFault.status("DELETE", "bridges/" + streamBridge, 1, 500));
    startSecond(ariUrl, dir, store, WAIT);

    app.await("/connected", streamingSid, WAIT);
    String externalMedia = streamingSid + "-em-1_";
    awaitTrue(() -> sim.channels().stream().noneMatch(c -> c.id().equals(externalMedia)),
        "the stream's ExternalMedia channel removed", WAIT);
    assertTrue(sim.bridges().stream().anyMatch(b -> b.id().equals(streamBridge)),
        "the bridge is still there (its destroy failed)");

    sim.dropSockets();
    awaitTrue(() -> sim.bridges().isEmpty(), "the leftover bridge destroyed after the resync",
        WAIT);
    assertTrue(sim.channels().stream().anyMatch(c -> c.id().equals(streaming)),
        "the call's own channel is not a leftover");

    sim.callerHangup(streaming);
    app.await(r -> r.path().equals("/status") && streamingSid.equals(r.param("CallSid"))
        && "completed".equals(r.param("CallStatus")), "completed of the streaming call", WAIT);
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up", WAIT);
    storeEmpties(store, WAIT);
    assertEquals(ALL, callbacks("/status", streamingSid));
    assertEquals(1, count("/connected"), "the Connect action once");
    assertEquals(0, hangups(streaming), "the caller hung up itself");
  }

  /**
   * A {@code <Dial><Sip username password>} bridged at the crash: the leg's own PJSIP endpoint and
   * auth (ARI dynamic configuration, made by the first node) outlive it, the dial is taken back
   * bridged, and when the caller hangs up the dial ends once and the second node deletes both
   * objects, as the first would have.
   */
  @Test
  void theSipCredentialsOfADialTakenBackAreDeletedWhenItEnds() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-crash-sip-credentials");
    String ariUrl = startSimulator(dir, "*+155500100*");
    String store = storeUrl(dir);
    app = new TestTwimlApp(E2eHarness.AUTH_TOKEN);
    app.on("/voice", r -> Response.twiml("<Dial action=\"/sipdialed\"><Sip username=\"alice\""
        + " password=\"s3cret\">sip:bob@pbx.test</Sip></Dial>"));
    app.on("/sipdialed", r -> Response.twiml("<Hangup/>"));

    startFirst(ariUrl, dir, store);
    String caller = sim.inboundCall("+15557777001", "+15550010001");
    String callerSid = E2eHarness.callSid(caller);
    awaitTrue(() -> sim.bridges().stream().anyMatch(b -> b.channels().contains(caller)
        && b.channels().size() == 2), "the caller bridged with the SIP callee", WAIT);
    String path = sim.log().requests().stream().filter(r -> r.method().equals("PUT")
        && r.path().contains("/res_pjsip/auth/sb-sip-")).findFirst().orElseThrow().path();
    String id = path.substring(path.lastIndexOf('/') + 1);
    awaitTrue(() -> storedValues(store).get("Dial|" + callerSid) instanceof DialRecord d
        && d.bridged().isPresent(), "the bridged dial in the store", WAIT);

    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node is gone");
    startSecond(ariUrl, dir, store, WAIT);

    awaitTrue(() -> sim.log().requests().stream().anyMatch(r -> r.method().equals("GET")
        && r.path().contains("/bridges/" + callerSid + "-br-")), "the dial taken back", WAIT);
    assertTrue(sim.configObject("res_pjsip", "endpoint", id).isPresent()
        && sim.configObject("res_pjsip", "auth", id).isPresent(),
        "the leg's endpoint and auth kept while the dial runs");
    sim.callerHangup(caller);
    assertEquals("completed", app.await("/sipdialed", callerSid, WAIT).param("DialCallStatus"));
    awaitTrue(() -> sim.configObject("res_pjsip", "endpoint", id).isEmpty()
        && sim.configObject("res_pjsip", "auth", id).isEmpty(),
        "the leg's endpoint and auth deleted after the dial", WAIT);
    awaitTrue(() -> sim.channels().isEmpty(), "every channel hung up", WAIT);
    awaitTrue(() -> sim.bridges().isEmpty(), "every bridge destroyed", WAIT);
    storeEmpties(store, WAIT);
    assertEquals(1, count("/sipdialed"), "the Dial action once");
    assertEquals(ALL, callbacks("/status", callerSid));
  }
}
