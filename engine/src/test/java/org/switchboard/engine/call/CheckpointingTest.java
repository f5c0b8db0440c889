package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.queue.MutableClock;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptInput;
import org.switchboard.engine.script.ScriptSettings;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptTimer;
import org.switchboard.engine.script.TwimlInterpreter;
import org.switchboard.engine.script.Webhook;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Which script states {@link Checkpointing} writes: each step of a real interpreter run is offered
 * to it, and a restart from the last state written must resume as a restart from the state the
 * call is really in would (same document request, same prompt stopped, same queue rejoined).
 */
class CheckpointingTest {
  private static final String CALL = "CA0123456789abcdef0123456789abcdef";

  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  private final TwimlInterpreter interpreter = new TwimlInterpreter(new ScriptSettings(25,
      ScriptSettings.DEFAULT_ERROR_PROMPT, sid -> URI.create("https://sb.test/recordings/" + sid),
      () -> "RE0", false, clock));
  private final Checkpointing checkpointing =
      new Checkpointing(Optional.empty(), CALL, null, clock.instant());
  private ScriptState state = ScriptState.initial(CALL);
  private List<CallEffect> effects = List.of();
  private boolean answered;
  private int sequence = 1;
  /** Every state offered, and whether it was written. */
  private final List<String> trail = new ArrayList<>();
  private ScriptState written;
  private CallEffect.FetchTwiml lastFetch;

  @Test
  void aSimpleCallWritesItsDocumentRequestAndItsPrompt() {
    input(new ScriptInput.Begin(new Webhook(URI.create("https://app.test/voice"), Method.POST),
        Optional.empty()));
    answer();
    document("<Response><Say>hello</Say><Hangup/></Response>");
    assertEquals(List.of("W Document", "W Document", "W Media"), trail,
        "the request, the answer while it is out, the prompt");
  }

  @Test
  void aPauseAfterAPromptOfTheSameDocumentIsNotWrittenAndTheRestartReplaysThePrompt() {
    started("<Response><Say>one</Say><Pause length=\"2\"/><Pause length=\"2\"/>"
        + "<Say>two</Say><Hangup/></Response>");
    String one = playing();
    played();
    input(new ScriptInput.TimerFired(ScriptTimer.PAUSE));
    assertEquals(List.of("W Media", "- Pause", "- Pause"), tail(3));

    List<CallEffect> resumed = resume(written);
    assertEquals(new CallEffect.StopPlayback(one), resumed.get(0), "a finished prompt, stopped");
    assertEquals("one", spoken(resumed), "the run starts again at its first prompt");
    assertTrue(resumed.stream().noneMatch(CallEffect.FetchTwiml.class::isInstance),
        "the document is not requested again");

    input(new ScriptInput.TimerFired(ScriptTimer.PAUSE));
    assertEquals("W Media", tail(1).get(0), "a new prompt writes: it is the one to stop");
  }

  @Test
  void digitsOfAGatherWriteNothingUntilTheGatherEnds() {
    started("<Response><Gather numDigits=\"3\" action=\"/menu\"><Say>menu</Say></Gather>"
        + "</Response>");
    played();
    input(new ScriptInput.Digit("4"));
    input(new ScriptInput.Digit("2"));
    assertEquals(List.of("W Gathering", "- Gathering", "- Gathering", "- Gathering"), tail(4));
    assertEquals(withoutStops(resume(state)), withoutStops(resume(written)),
        "both restart the Gather alike (the written one also stops its finished prompt)");
    assertEquals("menu", spoken(resume(written)));

    input(new ScriptInput.Digit("7"));
    assertEquals("W Document", tail(1).get(0), "the action request is written");
  }

  @Test
  void aQueuedCallersWaitLoopWritesOnlyItsPromptsAndTheRestartRejoinsAtTheFirstJoin() {
    started("<Response><Enqueue action=\"/after\" waitUrl=\"/wait\">support</Enqueue></Response>");
    Instant joined = state.queue().orElseThrow().enqueuedAt();
    assertEquals("W Delegated", tail(1).get(0), "joining the queue is written");
    for (int round = 0; round < 2; round++) {
      input(new ScriptInput.Queued(Map.of("QueuePosition", "1", "QueueSid", "QU1")));
      assertInstanceOf(Awaiting.Document.class, state.awaiting());
      document("<Response><Say>please wait</Say><Pause length=\"5\"/></Response>");
      played();
      input(new ScriptInput.TimerFired(ScriptTimer.PAUSE));
      assertEquals(List.of("- Document", "W Media", "- Pause", "- Delegated"), tail(4));
      CallEffect.RejoinQueue fromWritten = last(resume(written), CallEffect.RejoinQueue.class);
      CallEffect.RejoinQueue fromState = last(resume(state), CallEffect.RejoinQueue.class);
      assertEquals(joined, fromWritten.enqueuedAt());
      assertEquals(fromState, fromWritten, "the same rejoin either way");
    }
    input(new ScriptInput.Dequeued(Map.of()));
    assertEquals("W Delegated", tail(1).get(0), "bridged out of the queue is written");
    input(new ScriptInput.QueueExited("bridged", Map.of()));
    assertEquals("W Document", tail(1).get(0), "the Enqueue action request is written");
    assertFalse(written.queue().isPresent());
  }

  @Test
  void aStatusCallbackSentIsWrittenSoItsSequenceNumberIsNotUsedTwice() {
    started("<Response><Pause length=\"30\"/></Response>");
    sequence++;
    input(new ScriptInput.Digit("1"));
    assertEquals("W Pause", tail(1).get(0));
  }

  private void started(String twiml) {
    input(new ScriptInput.Begin(new Webhook(URI.create("https://app.test/voice"), Method.POST),
        Optional.empty()));
    answer();
    document(twiml);
  }

  private void answer() {
    answered = true;
    input(new ScriptInput.Answered());
  }

  private void played() {
    input(new ScriptInput.PlaybackFinished(playing(), false));
  }

  private String playing() {
    return last(effects, CallEffect.PlayMedia.class).playbackId();
  }

  private void document(String twiml) {
    CallEffect.FetchTwiml fetch = lastFetch;
    input(new ScriptInput.DocumentFetched(fetch.fetchId(), fetch.url(), 200, "text/xml",
        twiml.getBytes(StandardCharsets.UTF_8)));
  }

  private void input(ScriptInput input) {
    TwimlInterpreter.Step step = interpreter.step(state, input);
    state = step.state();
    effects = step.effects();
    effects.stream().filter(CallEffect.FetchTwiml.class::isInstance)
        .forEach(e -> lastFetch = (CallEffect.FetchTwiml) e);
    if (state.finished()) {
      return;
    }
    boolean write = checkpointing.crossed(state, answered, sequence);
    if (write) {
      written = state;
    }
    trail.add((write ? "W " : "- ") + state.awaiting().getClass().getSimpleName());
  }

  private List<CallEffect> resume(ScriptState from) {
    return interpreter.step(from, new ScriptInput.Resumed()).effects();
  }

  private static List<CallEffect> withoutStops(List<CallEffect> effects) {
    return effects.stream().filter(e -> !(e instanceof CallEffect.StopPlayback)).toList();
  }

  private List<String> tail(int n) {
    return trail.subList(trail.size() - n, trail.size());
  }

  private static String spoken(List<CallEffect> effects) {
    CallEffect.PlayMedia play = last(effects, CallEffect.PlayMedia.class);
    return play.media() instanceof MediaRef.Speech speech ? speech.text() : play.media().toString();
  }

  private static <T> T last(List<CallEffect> effects, Class<T> type) {
    T found = null;
    for (CallEffect e : effects) {
      if (type.isInstance(e)) {
        found = type.cast(e);
      }
    }
    if (found == null) {
      throw new AssertionError("no " + type.getSimpleName() + " in " + effects);
    }
    return found;
  }
}
