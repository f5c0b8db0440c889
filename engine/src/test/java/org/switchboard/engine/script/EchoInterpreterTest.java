package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.CancelDelegate;
import org.switchboard.engine.script.CallEffect.CancelTimer;
import org.switchboard.engine.script.CallEffect.FetchTwiml;
import org.switchboard.engine.script.CallEffect.PlayMedia;
import org.switchboard.engine.script.CallEffect.StartEcho;
import org.switchboard.engine.script.CallEffect.StartTimer;
import org.switchboard.engine.twiml.verb.Echo;

/** {@code <Echo>}: answered, echoed for its length, then the next verb; a redirect stops it. */
class EchoInterpreterTest {

  @Test
  void theEchoRunsItsLengthThenTheNextVerb() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Echo/><Say>done</Say></Response>");
    assertTrue(h.acts().get(0) instanceof CallEffect.AnswerCall, h.acts().toString());
    h.answered();
    h.expect(new StartEcho(), new StartTimer(ScriptTimer.ECHO, Duration.ofSeconds(Echo.SECONDS)));
    h.timer(ScriptTimer.ECHO);
    assertEquals(new CancelDelegate("echo-over"), h.acts().get(0));
    assertEquals(new MediaRef.Speech("done", Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
  }

  @Test
  void aRestRedirectStopsTheEcho() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Echo/></Response>").answered();
    h.input(new ScriptInput.RedirectRequested(Optional.of(URI.create("https://app.test/other")),
        org.switchboard.engine.twiml.verb.Method.POST, Optional.empty()));
    assertEquals(new CancelTimer(ScriptTimer.ECHO), h.acts().get(0));
    assertTrue(h.acts().get(1) instanceof CancelDelegate, h.acts().toString());
    assertEquals(URI.create("https://app.test/other"), h.last(FetchTwiml.class).url());
  }
}
