package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.script.ScriptHarness.param;
import static org.switchboard.engine.script.ScriptHarness.pb;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.*;
import org.switchboard.engine.twiml.verb.Gather;

/** {@code <Gather input="speech">} and {@code "dtmf speech"} in the pure interpreter. */
class SpeechGatherTest {
  private static final String SALES =
      "<Response><Gather input=\"speech\" action=\"/menu\" hints=\"sales, support\""
          + " partialResultCallback=\"/partial\"><Say>Which department?</Say></Gather>"
          + "<Say>nothing</Say></Response>";

  private static ScriptHarness gather(String twiml) {
    return new ScriptHarness().begin(false).document(twiml).answered();
  }

  @Test
  void listensFromTheFirstPromptWithTheGathersAttributes() {
    ScriptHarness h = gather(SALES);
    Gather g = h.last(StartSpeech.class).gather();
    assertEquals(List.of("sales", "support"), g.hints());
    assertEquals(pb(2), h.last(PlayMedia.class).playbackId());
    assertInstanceOf(ScriptState.Awaiting.SpeechGathering.class, h.state.awaiting());
  }

  @Test
  void speechBargesInThenItsEndAsksTheRecogniserAndTheResultGoesToTheAction() {
    ScriptHarness h = gather(SALES);
    h.input(new ScriptInput.Talking(true));
    h.expect(new StopPlayback(pb(2)), new CancelTimer(ScriptTimer.PAUSE),
        new CancelTimer(ScriptTimer.GATHER_TIMEOUT));
    h.input(new ScriptInput.PlaybackFinished(pb(2), false));
    assertTrue(h.acts().isEmpty(), "the stopped prompt does not start the timeout");
    h.input(new ScriptInput.Talking(false));
    h.expect(new EndSpeech());
    h.input(new ScriptInput.SpeechRecognized("sales", 0.91));
    Notify partial = h.last(Notify.class);
    assertEquals(URI.create("https://app.test/partial"), partial.url());
    assertEquals("sales", param(partial, "StableSpeechResult"));
    assertInstanceOf(StopSpeech.class, h.acts().get(1));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/menu"), f.url());
    assertEquals("sales", param(f, "SpeechResult"));
    assertEquals("0.910000", param(f, "Confidence"));
    assertNull(param(f, "Digits"));
  }

  @Test
  void nothingRecognisedIsNoInputAndFallsThrough() {
    ScriptHarness h = gather(SALES);
    h.played();
    h.input(new ScriptInput.Talking(true)).input(new ScriptInput.Talking(false));
    h.input(new ScriptInput.SpeechRecognized("", 0));
    assertInstanceOf(StopSpeech.class, h.acts().get(0));
    assertEquals(new MediaRef.Speech("nothing", java.util.Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
  }

  @Test
  void nothingRecognisedWithActionOnEmptyResultRequestsTheActionWithoutSpeechResult() {
    ScriptHarness h = gather("<Response><Gather input=\"speech\" actionOnEmptyResult=\"true\""
        + " action=\"/a\"/></Response>");
    h.input(new ScriptInput.Talking(true)).input(new ScriptInput.Talking(false));
    h.input(new ScriptInput.SpeechRecognized("", 0));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertNull(param(f, "SpeechResult"));
    assertEquals("", param(f, "Digits"));
  }

  @Test
  void talkingDuringPromptsWithoutBargeInDoesNotCount() {
    ScriptHarness h = gather("<Response><Gather input=\"speech\" bargeIn=\"false\">"
        + "<Say>menu</Say></Gather></Response>");
    h.input(new ScriptInput.Talking(true));
    assertTrue(h.acts().isEmpty());
    h.input(new ScriptInput.Talking(false));
    assertTrue(h.acts().isEmpty());
  }

  @Test
  void aKeyBeforeSpeechStopsListeningAndTheGatherGoesOnWithDigits() {
    ScriptHarness h = gather("<Response><Gather input=\"dtmf speech\" numDigits=\"2\">"
        + "<Say>menu</Say></Gather></Response>");
    h.digit("4");
    assertEquals(new StopSpeech(), h.acts().get(0));
    assertInstanceOf(ScriptState.Awaiting.Gathering.class, h.state.awaiting());
    h.input(new ScriptInput.Talking(true));
    assertTrue(h.acts().isEmpty(), "speech no longer counts");
    h.digit("2");
    assertEquals("42", param(h.last(FetchTwiml.class), "Digits"));
  }

  @Test
  void onceSpeechIsHeardKeysAreIgnored() {
    ScriptHarness h = gather("<Response><Gather input=\"dtmf speech\"/></Response>");
    h.input(new ScriptInput.Talking(true));
    h.digit("#");
    assertTrue(h.acts().isEmpty());
    h.input(new ScriptInput.Talking(false));
    h.expect(new EndSpeech());
  }

  @Test
  void aRedirectStopsListening() {
    ScriptHarness h = gather(SALES);
    h.input(new ScriptInput.RedirectRequested(java.util.Optional.of(URI.create("https://app.test/x")),
        org.switchboard.engine.twiml.verb.Method.POST, java.util.Optional.empty()));
    assertTrue(h.acts().contains(new StopSpeech()));
  }

  @Test
  void aLateResultAfterTheGatherIsIgnored() {
    ScriptHarness h = gather(SALES);
    h.played();
    h.timer(ScriptTimer.GATHER_TIMEOUT);
    h.input(new ScriptInput.SpeechRecognized("sales", 0.9));
    assertTrue(h.all(FetchTwiml.class).isEmpty());
  }
}
