package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ServerEvent;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * A caller whose StasisStart fell into an ARI gap: the resync after the reconnect lists its
 * channel, unanswered in the application, and its call starts (voice URL fetched, answered)
 * instead of the caller being hung up as an orphan; an answered channel and a leg nobody owns
 * still are.
 */
class LostStasisStartTest {
  static final ActorTestKit kit = ActorTestKit.create("LostStasisStartTest", ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void anUnansweredInboundChannelWhoseStasisStartWasLostStartsItsCall() {
    CallFixture f = new CallFixture(kit);
    f.orphanGrace = Duration.ofMillis(200);
    f.web.twiml(APP + "/voice", "<Response><Say>Hello</Say></Response>");
    Calls calls = Calls.start(kit.system(), f.services(), LegBehaviorFactory.UNSUPPORTED);
    ChannelEvent.ChannelInfo lost = CallFixture.stasisStart("1700.42").channel();
    ChannelEvent.ChannelInfo answeredOrphan = new ChannelEvent.ChannelInfo("1700.43",
        "PJSIP/trunk-0002", "Up", null, null, "from-trunk", "+15559870000", "", "en", Instant.now());
    ChannelEvent.ChannelInfo leg = new ChannelEvent.ChannelInfo("sb-leg-1", "PJSIP/vol-0003",
        "Ring", null, null, "", "", "", "en", Instant.now());

    calls.eventSink().serverEvent(new ServerEvent.Resynced(CallFixture.SERVER, Instant.now(),
        List.of(lost, answeredOrphan, leg), List.of()));

    FakeWebhookPort.Seen initial = f.web.nextFetch(Duration.ofSeconds(20));
    assertEquals(CallSid.forChannel(new ChannelRef(CallFixture.SERVER, "1700.42")),
        initial.param("CallSid"));
    assertEquals("+15559870000", initial.param("To"));
    Set<String> wanted = Set.of("answer 1700.42", "hangup 1700.43", "hangup sb-leg-1");
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
      FakeAriPort.Command c = f.ari.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (c.op().equals("answer") || c.op().equals("hangup")) {
        seen.add(c.op() + " " + c.<ChannelRef>arg(0).channelId());
      }
    }
    assertEquals(wanted, seen);
  }
}
