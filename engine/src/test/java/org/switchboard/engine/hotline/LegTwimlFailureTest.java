package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.hotline.HotlineHarness.APP;
import static org.switchboard.engine.hotline.HotlineHarness.SERVER;
import static org.switchboard.engine.hotline.HotlineHarness.sidOf;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.call.CallEntity;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A failure inside the TwiML an answered leg runs (a REST-originated call's Url, in a {@link
 * CallActor} inside the leg's entity) takes that script's error path: the error prompt plays on
 * the leg, the leg hangs up and reports {@code completed} to its status callback.
 */
class LegTwimlFailureTest {
  static final ActorTestKit kit = ActorTestKit.create("LegTwimlFailureTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aFailureInTheAnsweredLegsTwimlPlaysTheErrorPromptAndEndsTheLeg() throws Exception {
    h.web.twiml(APP + "/out", "<Response><Say>Hello</Say><Pause length=\"60\"/></Response>");
    OutboundCall request = new OutboundCall("+15550000700", "+15550000001",
        Optional.of(URI.create(APP + "/out")), Method.POST, Optional.empty(), Optional.empty(),
        Method.POST, Optional.of(URI.create(APP + "/out-status")), List.of("completed"),
        Method.POST, 30, Optional.empty(), Optional.empty(), Optional.empty());
    String callSid = h.ops.originate(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    String channel = h.originated("15550000700").channelId();
    h.legAnswers(channel);
    h.fetch("/out");
    String hello = h.command("Say", c -> c.op().equals("play")).arg(1);
    h.deliver(new ChannelEvent.PlaybackFinished(SERVER, Instant.now(), hello,
        Optional.of(channel), Optional.empty(), false));
    // a message whose handling throws inside the leg's TwiML (its ack ref is missing)
    ClusterSharding.get(kit.system()).entityRefFor(CallEntity.TYPE_KEY, callSid)
        .tell(new CallCommand.Deliver(
            new ChannelEvent.DtmfReceived(SERVER, Instant.now(), channel, "1", 100), null));
    var prompt = h.command("the error prompt", c -> c.op().equals("play")
        && c.<List<String>>arg(2).equals(List.of("sound:app-error")));
    assertEquals(new ChannelRef(SERVER, channel), prompt.arg(0));
    h.deliver(new ChannelEvent.PlaybackFinished(SERVER, Instant.now(), prompt.arg(1),
        Optional.of(channel), Optional.empty(), false));
    var hangup = h.command("the leg's hangup", c -> c.op().equals("hangup"));
    assertEquals(new ChannelRef(SERVER, channel), hangup.arg(0));
    assertEquals("completed",
        h.notified("/out-status", s -> sidOf(channel).equals(s.param("CallSid")))
            .param("CallStatus"));
    h.hangsUp(channel);
  }
}
