package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.hotline.HotlineHarness.APP;
import static org.switchboard.engine.hotline.HotlineHarness.SERVER;
import static org.switchboard.engine.hotline.HotlineHarness.sidOf;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.testing.FakeWebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/** The API operations: /ring, REST originate, and a conference of three. */
class HotlineApiTest {
  static final ActorTestKit kit = ActorTestKit.create("HotlineApiTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    // Leaving the cluster can take longer than the test kit's default 10 s on a loaded machine;
    // a shutdown timeout failed the class (and its JUnit rerun) after every test had passed.
    ActorTestKit.shutdown(kit.system(), java.time.Duration.ofSeconds(60));
  }

  @Test
  void ringOfThreeSecondAnswersOthersCanceledWinnerDequeuesTheCaller() throws Exception {
    h.web.twiml(APP + "/300/voice", "<Response><Enqueue waitUrl=\"/300/wait\">ringq</Enqueue></Response>");
    h.web.twiml(APP + "/300/wait", "<Response><Play>https://app.test/hold.wav</Play></Response>");
    h.web.twiml(APP + "/answer", "<Response><Dial><Queue>ringq</Queue></Dial></Response>");
    String parent = h.inbound("in-300", "300");
    h.fetch("/300/wait");

    List<RingSpec.Leg> legs = h.ops.ring(new RingSpec(parent, "+15550000300", List.of(
            new RingSpec.Target("v1", Optional.of("+15550000301"), Optional.empty(), Optional.empty()),
            new RingSpec.Target("v2", Optional.empty(), Optional.of("sip:v2@pbx.test"), Optional.empty()),
            new RingSpec.Target("v3", Optional.empty(), Optional.empty(), Optional.of("v3"))),
        30, URI.create(APP + "/answer"), Method.POST, Optional.of(URI.create(APP + "/ring-status")),
        List.of("completed"), Optional.empty()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(3, legs.size());
    Set<String> endpoints = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      endpoints.add(h.originated("").endpoint());
    }
    assertEquals(Set.of("PJSIP/+15550000301@trunk", "PJSIP/trunk/sip:v2@pbx.test", "PJSIP/v3"), endpoints);

    RingSpec.Leg winner = legs.get(1);
    h.legAnswers(winner.channelId());
    FakeWebhookPort.Seen answer = h.fetch("/answer");
    assertEquals(winner.legSid(), answer.param("CallSid"));
    assertEquals(parent, answer.param("ParentCallSid"));
    assertEquals("+15550000300", answer.param("From"));
    for (RingSpec.Leg loser : List.of(legs.get(0), legs.get(2))) {
      FakeWebhookPort.Seen status = h.notified("/ring-status", s -> loser.legSid().equals(s.param("CallSid")));
      assertEquals("canceled", status.param("CallStatus"));
    }
    var add = h.command("bridge of winner and caller", c -> c.op().equals("addToBridge")
        && c.<List<String>>arg(2).contains("in-300"));
    assertEquals(List.of(winner.channelId(), "in-300"), add.arg(2));
  }

  @Test
  void ringOfACallerWhoHangsUpCancelsEveryLeg() throws Exception {
    String parent = queuedCaller("310");
    List<RingSpec.Leg> legs = h.ops.ring(new RingSpec(parent, "+15550000310", List.of(
            new RingSpec.Target("v1", Optional.of("+15550000311"), Optional.empty(), Optional.empty()),
            new RingSpec.Target("v2", Optional.of("+15550000312"), Optional.empty(), Optional.empty())),
        30, URI.create(APP + "/answer"), Method.POST, Optional.of(URI.create(APP + "/ring-310")),
        List.of("completed"), Optional.empty()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    Set<String> rung = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      rung.add(h.originated("+1555000031").endpoint());
    }
    assertEquals(Set.of("PJSIP/+15550000311@trunk", "PJSIP/+15550000312@trunk"), rung);

    h.hangsUp("in-310");
    for (RingSpec.Leg leg : legs) {
      FakeWebhookPort.Seen status = h.notified("/ring-310", s -> leg.legSid().equals(s.param("CallSid")));
      assertEquals("canceled", status.param("CallStatus"));
    }
  }

  @Test
  void watchEndIsAnsweredAtOnceWithoutACallAndWhenTheCallEnds() {
    var probe = kit.createTestProbe(CallEnded.class);
    String nobody = sidOf("no-such-channel-320");
    h.ops.calls().call(nobody).tell(new CallCommand.WatchEnd(probe.ref()));
    // The first message of a run may wait for the cluster to form and the shard to start.
    assertEquals(new CallEnded(nobody), probe.receiveMessage(java.time.Duration.ofSeconds(30)));

    String caller = queuedCaller("320");
    h.ops.calls().call(caller).tell(new CallCommand.WatchEnd(probe.ref()));
    h.ops.calls().call(caller).tell(new CallCommand.WatchEnd(probe.ref()));
    probe.expectNoMessage(java.time.Duration.ofMillis(300));
    h.hangsUp("in-320");
    assertEquals(new CallEnded(caller), probe.receiveMessage(java.time.Duration.ofSeconds(30)));
    probe.expectNoMessage(java.time.Duration.ofMillis(300));
  }

  /** A caller on channel {@code in-<number>} waiting in queue {@code q<number>}; its CallSid. */
  private static String queuedCaller(String number) {
    h.web.twiml(APP + "/" + number + "/voice",
        "<Response><Enqueue waitUrl=\"/" + number + "/wait\">q" + number + "</Enqueue></Response>");
    h.web.twiml(APP + "/" + number + "/wait", "<Response><Play>https://app.test/hold.wav</Play></Response>");
    String sid = h.inbound("in-" + number, number);
    h.fetch("/" + number + "/wait");
    return sid;
  }

  @Test
  void originateRunsTheTwimlAndReportsEveryStatus() throws Exception {
    h.web.twiml(APP + "/out", "<Response><Say>Hello</Say></Response>");
    OutboundCall request = new OutboundCall("+15550000400", "+15550000001",
        Optional.of(URI.create(APP + "/out")), Method.POST, Optional.empty(), Optional.empty(),
        Method.POST, Optional.of(URI.create(APP + "/out-status")),
        List.of("initiated", "ringing", "answered", "completed"), Method.POST, 30, Optional.empty(),
        Optional.empty(), Optional.empty());
    String callSid = h.ops.originate(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    String channel = h.originated("15550000400").channelId();
    assertEquals(sidOf(channel), callSid);
    h.legAnswers(channel);
    FakeWebhookPort.Seen out = h.fetch("/out");
    assertEquals("outbound-api", out.param("Direction"));
    assertEquals(callSid, out.param("CallSid"));
    assertEquals("in-progress", out.param("CallStatus"));
    String playback = h.command("Say", c -> c.op().equals("play")).arg(1);
    h.deliver(new ChannelEvent.PlaybackFinished(SERVER, Instant.now(), playback, Optional.of(channel),
        Optional.empty(), false));
    h.command("hangup of the answered call", c -> c.op().equals("hangup"));
    String[] events = {"initiated", "ringing", "in-progress", "completed"};
    for (int i = 0; i < events.length; i++) {
      String status = events[i];
      FakeWebhookPort.Seen s = h.notified("/out-status", x -> status.equals(x.param("CallStatus")));
      assertEquals(Integer.toString(i), s.param("SequenceNumber"));
      assertEquals("call-progress-events", s.param("CallbackSource"));
    }
    h.hangsUp(channel);
    CallSnapshot ended = h.ops.snapshot(callSid).toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
    assertEquals("completed", ended.status());
    assertEquals("outbound-api", ended.direction());
  }

  @Test
  void conferenceOfThreeEndsWhenTheModeratorLeavesAndTheOthersGoOn() {
    h.web.twiml(APP + "/500/voice", "<Response><Dial action=\"/500/done\"><Conference"
        + " endConferenceOnExit=\"true\" statusCallback=\"/room-status\""
        + " statusCallbackEvent=\"start end join leave\">room</Conference></Dial></Response>");
    for (String n : List.of("501", "502")) {
      h.web.twiml(APP + "/" + n + "/voice", "<Response><Dial action=\"/" + n + "/done\">"
          + "<Conference>room</Conference></Dial></Response>");
      h.web.twiml(APP + "/" + n + "/done", "<Response><Hangup/></Response>");
    }
    h.inbound("in-500", "500");
    var created = h.command("conference bridge", c -> c.op().equals("createBridge"));
    String bridge = created.arg(1);
    h.command("moderator in", c -> c.op().equals("addToBridge") && c.<List<String>>arg(2).contains("in-500"));
    h.command("moderator waits with music", c -> c.op().equals("startMusicOnHold"));
    h.inbound("in-501", "501");
    h.command("second in", c -> c.op().equals("addToBridge") && c.<List<String>>arg(2).contains("in-501"));
    h.notified("/room-status", s -> "conference-start".equals(s.param("StatusCallbackEvent")));
    h.inbound("in-502", "502");
    h.command("third in", c -> c.op().equals("addToBridge") && c.<List<String>>arg(2).contains("in-502"));

    h.hangsUp("in-500");
    Set<String> removed = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      var remove = h.command("others out", c -> c.op().equals("removeFromBridge"));
      assertEquals(bridge, remove.arg(1));
      removed.add(remove.arg(2));
    }
    assertEquals(Set.of("in-501", "in-502"), removed);
    for (String n : List.of("501", "502")) {
      FakeWebhookPort.Seen done = h.fetch("/" + n + "/done");
      assertEquals("answered", done.param("DialCallStatus"));
      assertTrue(done.param("ConferenceSid").startsWith("CF"));
    }
    FakeWebhookPort.Seen end = h.notified("/room-status", s -> "conference-end".equals(s.param("StatusCallbackEvent")));
    assertEquals("participant-with-end-conference-on-exit-left", end.param("ReasonConferenceEnded"));
    assertEquals(sidOf("in-500"), end.param("CallSidEndingConference"));
  }
}
