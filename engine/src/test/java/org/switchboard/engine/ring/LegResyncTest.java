package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.T0;
import static org.switchboard.engine.ring.LegHarness.sidOf;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegReport;

/** A leg told {@link CallCommand.ServerResynced} learns from Asterisk what its lost events said. */
class LegResyncTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private final LegHarness h = new LegHarness();
  private final TestProbe<LegReport> reports = h.kit.createTestProbe();

  @AfterEach
  void close() {
    h.close();
  }

  private String ringing(String channel) {
    String sid = sidOf(channel);
    h.entity(sid).tell(new CallCommand.StartLeg(
        LegHarness.spec(channel, 20, Optional.empty()), reports.ref()));
    h.ari.expect("originate", WAIT);
    h.dial(channel, "RINGING");
    reports.expectMessageClass(LegReport.LegRinging.class, WAIT);
    return sid;
  }

  private void resync(String sid) {
    h.entity(sid).tell(new CallCommand.ServerResynced(SERVER, java.util.Set.of()));
  }

  @Test
  void aRingingLegWhoseChannelVanishedEndsAndReportsIt() {
    String sid = ringing("legA");
    h.ari.answerQuery("channel", Optional.empty());
    resync(sid);
    assertEquals("legA", h.ari.expect("channel", WAIT).<ChannelRef>arg(0).channelId());
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("failed", ended.status());
  }

  @Test
  void aRingingLegThatAnsweredDuringTheGapIsClaimed() {
    String sid = ringing("legB");
    resync(sid);
    LegReport.LegAnswered answered = reports.expectMessageClass(LegReport.LegAnswered.class, WAIT);
    assertEquals(new ChannelRef(SERVER, "legB"), answered.channel());
  }

  @Test
  void aStillRingingLegKeepsRinging() {
    String sid = ringing("legC");
    h.ari.answerQuery("channel", Optional.of(new org.switchboard.engine.port.ChannelEvent
        .ChannelInfo("legC", "PJSIP/legC", "Ringing", null, null, "", "", "", "en", T0)));
    resync(sid);
    h.ari.expect("channel", WAIT);
    reports.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void aBridgedLegWhoseChannelVanishedEndsCompleted() {
    String sid = ringing("legD");
    h.answer("legD", T0.plusSeconds(2));
    reports.expectMessageClass(LegReport.LegAnswered.class, WAIT);
    h.ari.answerQuery("channel", Optional.empty());
    resync(sid);
    LegReport.LegEnded ended = reports.expectMessageClass(LegReport.LegEnded.class, WAIT);
    assertEquals("completed", ended.status());
  }
}
