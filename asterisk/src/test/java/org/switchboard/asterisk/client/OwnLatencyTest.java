package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;

/** Switchboard's own share: each interval from its start to the call's next end, once. */
class OwnLatencyTest {
  private static final ChannelRef CHANNEL = new ChannelRef("ast1", "1700000000.42");
  private static final String CALL_SID = CallSid.forChannel(CHANNEL);
  private final OwnLatency own = new OwnLatency();

  @Test
  void anEventToTheCallsNextWebhookIsMeasuredOnce() {
    own.eventReceived("ast1", CHANNEL.channelId(), 1_000_000L);
    own.webhookSent(CALL_SID, 2_500_000L);
    own.webhookSent(CALL_SID, 9_000_000L);
    own.webhookSent(CallSid.forChannel(new ChannelRef("ast1", "other")), 3_000_000L);
    OwnLatency.Summary s = own.snapshot().eventToWebhook();
    assertEquals(1, s.count());
    assertEquals(1500, s.max(), 2);
  }

  @Test
  void twimlToTheCallsNextCommandIsMeasuredAndResetForgetsIt() {
    own.twimlReceived(CALL_SID, 10_000_000L);
    own.commandSent(new ChannelRef("ast1", "unrelated"), 10_100_000L);
    own.commandSent(CHANNEL, 10_300_000L);
    OwnLatency.Summary s = own.snapshot().twimlToCommand();
    assertEquals(1, s.count());
    assertEquals(300, s.p99(), 1);
    own.reset();
    assertEquals(0, own.snapshot().twimlToCommand().count());
  }

  @Test
  void aDisabledRecorderMeasuresNothing() {
    own.enabled(false);
    own.eventReceived("ast1", CHANNEL.channelId(), 1_000_000L);
    own.webhookSent(CALL_SID, 2_000_000L);
    assertEquals(0, own.snapshot().eventToWebhook().count());
  }
}
