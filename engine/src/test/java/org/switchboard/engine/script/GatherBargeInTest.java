package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.script.ScriptHarness.param;
import static org.switchboard.engine.script.ScriptHarness.pb;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.FetchTwiml;
import org.switchboard.engine.script.CallEffect.PlayMedia;
import org.switchboard.engine.script.CallEffect.StartTimer;
import org.switchboard.engine.script.CallEffect.StopPlayback;

/**
 * {@code <Gather bargeIn>} with DTMF: by default a key stops the prompts; with {@code
 * bargeIn="false"} the prompts play to their end while the keys are collected, and an input that
 * ended meanwhile goes to the action once they are over.
 */
class GatherBargeInTest {

  private static ScriptHarness gather(String attributes) {
    return new ScriptHarness().begin(false).document("<Response><Gather action=\"/menu\" "
        + attributes + "><Say>one</Say><Say>two</Say></Gather><Say>bye</Say></Response>")
        .answered();
  }

  @Test
  void byDefaultAKeyStopsThePrompt() {
    ScriptHarness h = gather("numDigits=\"1\"");
    h.digit("3");
    assertEquals(new StopPlayback(pb(2)), h.acts().get(0));
    assertEquals("3", param(h.last(FetchTwiml.class), "Digits"));
  }

  @Test
  void withoutBargeInTheKeysAreCollectedWhileEveryPromptPlaysToTheEnd() {
    ScriptHarness h = gather("bargeIn=\"false\" numDigits=\"2\"");
    h.digit("4");
    assertTrue(h.acts().isEmpty(), "the prompt goes on: " + h.acts());
    h.played();
    assertEquals(new MediaRef.Speech("two", Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
    h.digit("2");
    assertTrue(h.acts().isEmpty(), "numDigits reached, the second prompt still plays: " + h.acts());
    h.digit("9");
    assertTrue(h.acts().isEmpty(), "keys after the input ended are ignored: " + h.acts());
    h.played();
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals("/menu", action.url().getPath());
    assertEquals("42", param(action, "Digits"));
    assertFalse(h.acts().stream().anyMatch(StopPlayback.class::isInstance));
  }

  @Test
  void withoutBargeInFinishOnKeyDuringThePromptsEndsInputWhenTheyAreOver() {
    ScriptHarness h = gather("bargeIn=\"false\"");
    h.digit("7").digit("#");
    assertTrue(h.acts().isEmpty(), h.acts().toString());
    h.played().played();
    FetchTwiml action = h.last(FetchTwiml.class);
    assertEquals("7", param(action, "Digits"));
    assertEquals("#", param(action, "FinishedOnKey"));
  }

  @Test
  void withoutBargeInDigitsWithoutAnEndWaitForTheTimeoutAfterThePrompts() {
    ScriptHarness h = gather("bargeIn=\"false\" timeout=\"3\"");
    h.digit("5");
    h.played().played();
    h.expect(new StartTimer(ScriptTimer.GATHER_TIMEOUT, Duration.ofSeconds(3)));
    h.digit("6").timer(ScriptTimer.GATHER_TIMEOUT);
    assertEquals("56", param(h.last(FetchTwiml.class), "Digits"));
  }

  @Test
  void withoutBargeInFinishOnKeyAloneIsNoInputAfterThePrompts() {
    ScriptHarness h = gather("bargeIn=\"false\"");
    h.digit("#");
    h.played().played();
    assertEquals(new MediaRef.Speech("bye", Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
  }
}
