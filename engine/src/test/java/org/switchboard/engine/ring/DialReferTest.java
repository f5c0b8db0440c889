package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.T0;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Trim;

/**
 * {@code <Dial referUrl>}: the bridged callee's SIP REFER ({@code ChannelTransfer}, routed to the
 * caller) is taken, the callee hung up and the dial ends with {@code ReferTransferTarget}; without
 * {@code referUrl} it is declined and the parties stay bridged.
 */
class DialReferTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final ChannelRef PARENT = new ChannelRef(SERVER, "parent");
  private static final String BRIDGE = "CAparent-br-0";

  private final LegHarness h = new LegHarness();
  private final TestProbe<DialEnded> ended = h.kit.createTestProbe();
  private ActorRef<DialSession.Command> session;
  private final DialContext ctx = new DialContext(h.ari, h.webhooks,
      new DialPlan("PJSIP/{number}@trunk", "trunk", "PJSIP/{identity}", Map.of()), h.settings,
      h::entity, name -> null, sid -> URI.create("https://sb.example/recordings/" + sid));

  @AfterEach
  void close() {
    h.close();
  }

  /** A dial to an agent, bridged; the callee leg's channel id. */
  private String bridged(Optional<URI> referUrl) {
    Dial dial = new Dial(Optional.empty(), Method.POST, 30, false, 14_400, Optional.empty(),
        Dial.Record.DO_NOT_RECORD, Dial.RecordingTrack.BOTH, Trim.DO_NOT_TRIM,
        RecordingStatusCallback.NONE, false, Optional.empty(), false, referUrl, Method.POST,
        List.of(Number.of("+15551230001")));
    ParentCall parent = new ParentCall("CAparent", PARENT, "+15550001111", "+15559998888", true, 0);
    session = h.kit.spawn(DialSession.create(parent, dial, ctx, ended.ref()));
    String leg = h.ari.expect("originate", WAIT).<AriPort.OriginateRequest>arg(0).channelId();
    h.answer(leg, T0.plusSeconds(2));
    h.ari.expect("addToBridge", WAIT);
    session.tell(new DialSession.ParentEvent(
        new ChannelEvent.EnteredBridge(SERVER, T0, "parent", BRIDGE)));
    return leg;
  }

  private void refer(String leg, String destination) {
    session.tell(new DialSession.ParentEvent(new ChannelEvent.TransferRequested(SERVER, T0,
        "parent", leg, destination, Optional.of(BRIDGE), Optional.empty())));
  }

  @Test
  void withReferUrlTheTransferIsTakenTheCalleeReleasedAndTheDialEndsWithTheTarget() {
    String leg = bridged(Optional.of(URI.create("https://app.example/refer")));
    FakeAriPort.Command handling = h.ari.expect(c -> c.op().equals("setVariable")
        && c.args().contains("PJSIP_TRANSFER_HANDLING()"), "transfer handling", WAIT);
    assertEquals(List.of(new ChannelRef(SERVER, leg), "PJSIP_TRANSFER_HANDLING()", "ari-only"),
        handling.args(), "REFERs of the callee go to the application");
    refer(leg, "agentb");
    FakeAriPort.Command progress = h.ari.expect("transferProgress", WAIT);
    assertEquals(List.of(new ChannelRef(SERVER, leg), "channel_answered"), progress.args());
    FakeAriPort.Command hangup = h.ari.expect("hangup", WAIT);
    assertEquals(leg, hangup.<ChannelRef>arg(0).channelId());
    h.destroyed(leg, 16, T0.plusSeconds(12));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals("completed", end.status());
    assertTrue(end.actionParams().contains(Map.entry("ReferTransferTarget", "agentb")),
        end.actionParams().toString());
    assertFalse(h.ari.history().stream().anyMatch(c -> c.startsWith("hangup[" + PARENT)),
        "the caller stays: " + h.ari.history());
  }

  @Test
  void withoutReferUrlTheTransferIsDeclinedAndTheCallStaysBridged() {
    String leg = bridged(Optional.empty());
    refer(leg, "agentb");
    FakeAriPort.Command progress = h.ari.expect("transferProgress", WAIT);
    assertEquals(List.of(new ChannelRef(SERVER, leg), "channel_declined"), progress.args());
    ended.expectNoMessage(Duration.ofMillis(200));
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("hangup")
            || c.contains("PJSIP_TRANSFER_HANDLING")),
        "no transfer handling asked, nobody hung up: " + h.ari.history());
  }

  @Test
  void aProgressReportOrAnotherChannelsReferIsNotATransfer() {
    String leg = bridged(Optional.of(URI.create("https://app.example/refer")));
    session.tell(new DialSession.ParentEvent(new ChannelEvent.TransferRequested(SERVER, T0,
        "parent", leg, "agentb", Optional.of(BRIDGE), Optional.of("channel_answered"))));
    refer("someone-else", "agentb");
    ended.expectNoMessage(Duration.ofMillis(200));
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("transferProgress")),
        h.ari.history().toString());
  }
}
