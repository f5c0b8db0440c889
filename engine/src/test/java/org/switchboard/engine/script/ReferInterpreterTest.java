package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.FetchTwiml;
import org.switchboard.engine.script.CallEffect.SendRefer;

/** {@code <Refer>}: the redirect, and each outcome Asterisk lets us read (spec §4.18). */
class ReferInterpreterTest {
  private static final String REFER =
      "<Response><Refer action=\"/refer-done\"><Sip>sip:bob@pbx.test?X-Case=7</Sip></Refer>"
          + "<Say>not reached</Say></Response>";

  private static ScriptHarness referring() {
    ScriptHarness h = new ScriptHarness().begin(false).document(REFER);
    h.expect(new SendRefer("PJSIP/sip:bob@pbx.test?X-Case=7"));
    return h;
  }

  @Test
  void aTransferThatEndsTheChannelReportsSuccessAfterHangup() {
    ScriptHarness h = referring().input(new ScriptInput.ReferAccepted());
    h.expect(new CallEffect.StartTimer(ScriptTimer.REFER, ReferPart.TRANSFER_TIMEOUT));
    h.input(new ScriptInput.CallEnded(Instant.EPOCH));
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/refer-done"), action.url());
    assertEquals(FetchPurpose.AFTER_HANGUP, action.purpose());
    assertEquals("in-progress", ScriptHarness.param(action, "ReferCallStatus"));
    assertEquals("202", ScriptHarness.param(action, "ReferSipResponseCode"));
    assertEquals("200", ScriptHarness.param(action, "NotifySipResponseCode"));
    assertInstanceOf(ScriptState.Awaiting.Finished.class, h.state.awaiting());
  }

  @Test
  void aChannelStillUpAfterTheTimeoutIsAFailedTransferAndTheActionRuns() {
    ScriptHarness h = referring().input(new ScriptInput.ReferAccepted())
        .timer(ScriptTimer.REFER);
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.ACTION, action.purpose());
    assertEquals("failed", ScriptHarness.param(action, "ReferCallStatus"));
    assertNull(ScriptHarness.param(action, "ReferSipResponseCode"));
    h.document("<Response><Say>still here</Say></Response>");
    assertEquals(List.of(new CallEffect.AnswerCall()), h.acts());
  }

  @Test
  void aRefusedRedirectFailsAtOnceWithoutSipCodes() {
    ScriptHarness h = referring().input(new ScriptInput.ReferRefused(
        "422 Endpoint technology 'PJSIP' does not match channel technology 'Local'"));
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals(List.of(new CallEffect.CancelTimer(ScriptTimer.REFER), action), h.acts());
    assertEquals("failed", ScriptHarness.param(action, "ReferCallStatus"));
    assertNull(ScriptHarness.param(action, "ReferSipResponseCode"));
  }

  @Test
  void aHangupBeforeAsteriskAnsweredIsCanceled() {
    ScriptHarness h = referring().input(new ScriptInput.CallEnded(Instant.EPOCH));
    assertEquals("canceled", ScriptHarness.param(h.last(FetchTwiml.class), "ReferCallStatus"));
  }

  @Test
  void withoutActionTheNextVerbRuns() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Refer><Sip>sip:bob@pbx.test</Sip></Refer><Hangup/></Response>")
        .input(new ScriptInput.ReferRefused("409 Channel not in Stasis application"));
    assertEquals(List.of(new CallEffect.CancelTimer(ScriptTimer.REFER),
        new CallEffect.AnswerCall()), h.acts());
  }

  @Test
  void aLateTimerOrAnswerChangesNothing() {
    ScriptHarness h = referring().input(new ScriptInput.ReferRefused("404"));
    ScriptState before = h.state;
    h.timer(ScriptTimer.REFER).input(new ScriptInput.ReferAccepted());
    assertEquals(before, h.state);
    assertEquals(List.of(), h.acts());
  }
}
