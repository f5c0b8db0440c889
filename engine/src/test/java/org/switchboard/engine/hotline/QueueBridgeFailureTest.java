package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.hotline.HotlineHarness.APP;
import static org.switchboard.engine.hotline.HotlineHarness.SERVER;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * A {@code <Dial><Queue>} whose bridge cannot be made (the dequeuer's channel is already gone:
 * {@code addChannel} answers 400 "Channel not found"): the dequeued caller goes back to the front
 * of its queue and waits again, and the next dequeuer bridges it.
 */
class QueueBridgeFailureTest {
  static final ActorTestKit kit = ActorTestKit.create("QueueBridgeFailureTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void dequeuedCallerWhoseBridgeFailsWaitsAgainAtTheFrontAndIsBridgedByTheNextDequeuer() {
    h.web.twiml(APP + "/400/voice",
        "<Response><Enqueue action=\"/400/done\" waitUrl=\"/400/wait\">hotline</Enqueue></Response>");
    h.web.twiml(APP + "/400/wait", "<Response><Play>https://app.test/hold.wav</Play></Response>");
    h.web.twiml(APP + "/400/done", "<Response><Hangup/></Response>");
    h.web.twiml(APP + "/401/voice", "<Response><Dial record=\"record-from-answer\""
        + " action=\"/401/done\"><Queue>hotline</Queue></Dial></Response>");
    h.web.twiml(APP + "/401/done", "<Response><Hangup/></Response>");

    h.inbound("in-q1", "400");
    FakeWebhookPort.Seen firstWait = h.fetch("/400/wait");
    assertEquals("1", firstWait.param("QueuePosition"));
    h.inbound("in-q2", "400");
    assertEquals("2", h.fetch("/400/wait").param("QueuePosition"));

    h.ari.failAll("addToBridge", new AriCommandException(SERVER,
        "POST /bridges/x/addChannel", 400, "Channel not found"));
    String volunteer = h.inbound("in-v1", "401");
    var add = h.command("bridge of the volunteer and the first caller",
        c -> c.op().equals("addToBridge") && c.<List<String>>arg(2).contains("in-q1"));
    String bridge = add.arg(1);
    assertTrue(bridge.startsWith(volunteer + "-br-"));
    h.command("first caller taken out of the failed bridge", c -> c.op().equals("removeFromBridge")
        && c.arg(1).equals(bridge) && c.arg(2).equals("in-q1"));
    h.command("failed bridge destroyed", c -> c.op().equals("destroyBridge") && c.arg(1).equals(bridge));
    FakeWebhookPort.Seen volunteerDone = h.fetch("/401/done");
    assertEquals("failed", volunteerDone.param("DialCallStatus"));

    FakeWebhookPort.Seen again = h.fetch("/400/wait");
    assertEquals(h.sidOf("in-q1"), again.param("CallSid"), "the first caller waits again");
    assertEquals("1", again.param("QueuePosition"));
    assertEquals(firstWait.param("QueueSid"), again.param("QueueSid"));

    h.ari.stopFailing("addToBridge");
    h.inbound("in-v2", "401");
    var second = h.command("bridge of the next volunteer",
        c -> c.op().equals("addToBridge") && c.<List<String>>arg(2).contains("in-v2"));
    assertEquals(List.of("in-v2", "in-q1"), second.arg(2), "the first caller kept its place at the front");
    h.hangsUp("in-v2");
    h.hangsUp("in-q1");
    h.hangsUp("in-q2");
    h.fetch("/400/done");
  }
}
