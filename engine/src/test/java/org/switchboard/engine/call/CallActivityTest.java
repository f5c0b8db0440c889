package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.twiml.TwimlParser;

/** What status pages say a call is doing, for each place its script can stand. */
class CallActivityTest {
  private static final URI URL = URI.create("http://app.example/voice");

  @Test
  void namesTheRunningVerbOrWhatTheScriptWaitsFor() throws Exception {
    ScriptState initial = ScriptState.initial("CA1");
    assertEquals("starting", CallActivity.of(initial));

    var document = new TwimlParser().parse(
        "<Response><Say>Hi</Say><Gather numDigits=\"1\"/></Response>", URL);
    ScriptState saying = with(initial, new ScriptState.Frame(document, 0),
        new ScriptState.Awaiting.Pause());
    assertEquals("Say", CallActivity.of(saying));
    assertEquals("Gather", CallActivity.of(with(initial, new ScriptState.Frame(document, 1),
        new ScriptState.Awaiting.Pause())));
    assertEquals("answering", CallActivity.of(with(saying, saying.frame().get(),
        new ScriptState.Awaiting.Answer(false))));
    assertEquals("error prompt", CallActivity.of(with(saying, saying.frame().get(),
        new ScriptState.Awaiting.ErrorPrompt("p1"))));
    assertEquals("ended", CallActivity.of(with(saying, saying.frame().get(),
        new ScriptState.Awaiting.Finished())));
  }

  private static ScriptState with(ScriptState s, ScriptState.Frame frame,
      ScriptState.Awaiting awaiting) {
    return new ScriptState(s.callSid(), s.fallback(), s.answered(), Optional.of(frame), awaiting,
        s.queue(), s.documentsWithoutMedia(), s.counter(), s.speechWarned());
  }
}
