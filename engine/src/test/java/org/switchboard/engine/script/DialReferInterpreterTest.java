package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.FetchTwiml;
import org.switchboard.engine.script.CallEffect.StartDial;
import org.switchboard.engine.twiml.verb.Method;

/**
 * {@code <Dial referUrl referMethod>}: a dial the callee ended by transferring the call (SIP
 * REFER) requests {@code referUrl} with {@code ReferTransferTarget} instead of the dial's action,
 * and what it returns runs on the caller.
 */
class DialReferInterpreterTest {
  private static final String DIAL = "<Response><Dial action=\"/dialed\" referUrl=\"/refer\" "
      + "referMethod=\"GET\"><Sip>sip:agent@pbx.test</Sip></Dial><Say>after</Say></Response>";

  private static ScriptHarness dialing() {
    ScriptHarness h = new ScriptHarness().begin(false).document(DIAL).answered();
    assertInstanceOf(StartDial.class, h.acts().get(0));
    return h;
  }

  @Test
  void aTransferRequestsTheReferUrlWithTheTargetAndRunsWhatItReturns() {
    ScriptHarness h = dialing();
    h.input(new ScriptInput.DialEnded(Map.of("DialCallStatus", "completed",
        "DialBridged", "true", "ReferTransferTarget", "agentb")));
    FetchTwiml refer = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/refer"), refer.url());
    assertEquals(Method.GET, refer.method());
    assertEquals(List.of(Map.entry("ReferTransferTarget", "agentb")), refer.params());
    h.document("<Response><Dial><Number>+15550002222</Number></Dial></Response>");
    assertInstanceOf(StartDial.class, h.acts().get(0));
  }

  @Test
  void aDialEndedOtherwiseRequestsItsAction() {
    ScriptHarness h = dialing();
    h.input(new ScriptInput.DialEnded(Map.of("DialCallStatus", "completed")));
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/dialed"), action.url());
    assertEquals("completed", ScriptHarness.param(action, "DialCallStatus"));
  }
}
