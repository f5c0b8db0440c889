package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.hotline.HotlineHarness.APP;
import static org.switchboard.engine.hotline.HotlineHarness.WAIT;
import static org.switchboard.engine.hotline.HotlineHarness.sidOf;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.testing.FakeWebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/** Calls, legs, queues and rooms end to end through sharding, with fake ARI and webhooks. */
class HotlineFlowTest {
  static final ActorTestKit kit = ActorTestKit.create("HotlineFlowTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void dialNumberBridgesAndReportsCompletedWhenTheCalleeHangsUp() {
    h.web.twiml(APP + "/100/voice",
        "<Response><Dial action=\"/100/done\"><Number>+15550001000</Number></Dial></Response>");
    h.web.twiml(APP + "/100/done", "<Response><Hangup/></Response>");
    String caller = h.inbound("in-100", "100");
    String leg = h.originated("15550001000").channelId();
    h.legAnswers(leg);
    var add = h.command("bridge of caller and leg", c -> c.op().equals("addToBridge"));
    assertEquals(List.of("in-100", leg), add.arg(2));
    assertTrue(add.<String>arg(1).startsWith(caller + "-br-"));
    h.deliver(new ChannelEvent.EnteredBridge(HotlineHarness.SERVER, Instant.now(), "in-100", add.arg(1)));
    h.deliver(new ChannelEvent.EnteredBridge(HotlineHarness.SERVER, Instant.now(), leg, add.arg(1)));

    h.hangsUp(leg);
    FakeWebhookPort.Seen done = h.fetch("/100/done");
    assertEquals("completed", done.param("DialCallStatus"));
    assertEquals(sidOf(leg), done.param("DialCallSid"));
    assertEquals("true", done.param("DialBridged"));
  }

  @Test
  void aLegCountsAsRingingFromItsOriginateUntilItAnswers() {
    h.web.twiml(APP + "/300/voice",
        "<Response><Dial><Number>+15550003000</Number></Dial></Response>");
    h.inbound("in-300", "300");
    String leg = h.originated("15550003000").channelId();
    ActiveCalls active = h.ops.calls().active();
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(1, active.ringingLegs());
      return null;
    });
    assertTrue(active.callSids().contains(sidOf(leg)));
    h.legAnswers(leg);
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(0, active.ringingLegs());
      return null;
    });
    assertTrue(active.callSids().contains(sidOf(leg)), "an answered leg is still an active call");
    h.hangsUp(leg);
    h.hangsUp("in-300");
  }

  @Test
  void enqueuedCallerIsTakenByDialQueueRecordedAndBothActionsRun() throws Exception {
    h.web.twiml(APP + "/200/voice",
        "<Response><Enqueue action=\"/200/done\" waitUrl=\"/200/wait\">support</Enqueue></Response>");
    h.web.twiml(APP + "/200/wait", "<Response><Play>https://app.test/hold.wav</Play></Response>");
    h.web.twiml(APP + "/200/done", "<Response><Hangup/></Response>");
    h.web.twiml(APP + "/201/voice", "<Response><Dial record=\"record-from-answer\""
        + " action=\"/201/done\"><Queue>support</Queue></Dial></Response>");
    h.web.twiml(APP + "/201/done", "<Response><Hangup/></Response>");

    String a = h.inbound("in-a", "200");
    FakeWebhookPort.Seen wait = h.fetch("/200/wait");
    assertEquals("1", wait.param("QueuePosition"));
    assertEquals(a, wait.param("CallSid"));

    String b = h.inbound("in-b", "201");
    var add = h.command("bridge of B and A", c -> c.op().equals("addToBridge")
        && c.<List<String>>arg(2).contains("in-a"));
    assertEquals(List.of("in-b", "in-a"), add.arg(2));
    String bridge = add.arg(1);
    AriPort.RecordRequest record = h.command("bridge recording", c -> c.op().equals("recordBridge")).arg(2);
    h.deliver(new ChannelEvent.RecordingStarted(HotlineHarness.SERVER, Instant.now(), record.name(),
        Optional.empty(), Optional.of(bridge)));

    h.hangsUp("in-a");
    h.deliver(new ChannelEvent.RecordingFinished(HotlineHarness.SERVER, Instant.now(), record.name(),
        Optional.empty(), Optional.of(bridge), 7));
    FakeWebhookPort.Seen aDone = h.fetch("/200/done");
    assertEquals("bridged", aDone.param("QueueResult"));
    assertEquals(wait.param("QueueSid"), aDone.param("QueueSid"));
    FakeWebhookPort.Seen bDone = h.fetch("/201/done");
    assertEquals("completed", bDone.param("DialCallStatus"));
    assertEquals(a, bDone.param("DialCallSid"));
    assertEquals(record.name(), bDone.param("RecordingSid"));
    assertEquals("7", bDone.param("RecordingDuration"));

    RecordingIndex.Entry entry = h.ops.recordings().find(record.name()).orElseThrow();
    assertEquals(b, entry.callSid());
    assertEquals("DialVerb", entry.source());
    CallSnapshot ended = h.ops.snapshot(a).toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
    assertEquals("completed", ended.status());
    assertTrue(ended.endTime().isPresent());
  }
}
