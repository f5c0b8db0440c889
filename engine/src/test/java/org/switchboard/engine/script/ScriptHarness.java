package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.switchboard.engine.queue.MutableClock;
import org.switchboard.engine.twiml.verb.Method;

/** Drives the interpreter step by step and keeps the effects of the last step. */
final class ScriptHarness {
  static final String CALL = "CA0123456789abcdef0123456789abcdef";
  static final URI VOICE = URI.create("https://app.test/voice");
  static final URI FALLBACK = URI.create("https://app.test/fallback");

  final TwimlInterpreter interpreter;
  final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  ScriptState state = ScriptState.initial(CALL);
  List<CallEffect> effects = List.of();
  private int recordings;

  ScriptHarness() {
    this(25);
  }

  ScriptHarness(int maxDocuments) {
    interpreter = new TwimlInterpreter(new ScriptSettings(maxDocuments,
        ScriptSettings.DEFAULT_ERROR_PROMPT,
        sid -> URI.create("https://sb.test/recordings/" + sid),
        () -> "RE" + String.format("%032d", ++recordings), false, clock));
  }

  ScriptHarness begin(boolean withFallback) {
    return input(new ScriptInput.Begin(new Webhook(VOICE, Method.POST),
        withFallback ? Optional.of(new Webhook(FALLBACK, Method.POST)) : Optional.empty()));
  }

  ScriptHarness input(ScriptInput input) {
    TwimlInterpreter.Step step = interpreter.step(state, input);
    state = step.state();
    effects = step.effects();
    return this;
  }

  /** Answers the outstanding fetch with a TwiML body. */
  ScriptHarness document(String twiml) {
    return respond(200, "text/xml", twiml);
  }

  ScriptHarness respond(int status, String type, String body) {
    CallEffect.FetchTwiml fetch = last(CallEffect.FetchTwiml.class);
    return input(new ScriptInput.DocumentFetched(fetch.fetchId(), fetch.url(), status, type,
        body.getBytes(StandardCharsets.UTF_8)));
  }

  ScriptHarness answered() {
    return input(new ScriptInput.Answered());
  }

  ScriptHarness played() {
    return input(new ScriptInput.PlaybackFinished(lastPlayback(), false));
  }

  ScriptHarness digit(String d) {
    return input(new ScriptInput.Digit(d));
  }

  ScriptHarness timer(ScriptTimer timer) {
    return input(new ScriptInput.TimerFired(timer));
  }

  String lastPlayback() {
    ScriptState.Awaiting a = state.awaiting();
    if (a instanceof ScriptState.Awaiting.Media m) {
      return m.playbackId();
    }
    if (a instanceof ScriptState.Awaiting.ErrorPrompt e) {
      return e.playbackId();
    }
    if (GatherPart.progressOf(a).isPresent()) {
      return GatherPart.progressOf(a).get().playbackId().orElseThrow();
    }
    throw new AssertionError("nothing plays: " + a);
  }

  /** The last effect of type {@code type} in the last step. */
  <T extends CallEffect> T last(Class<T> type) {
    List<T> found = all(type);
    if (found.isEmpty()) {
      fail("no " + type.getSimpleName() + " in " + effects);
    }
    return found.get(found.size() - 1);
  }

  <T extends CallEffect> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (CallEffect e : effects) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** The last step's effects, ignoring log lines. */
  List<CallEffect> acts() {
    return effects.stream().filter(Predicate.not(CallEffect.LogWarning.class::isInstance)).toList();
  }

  void expect(CallEffect... expected) {
    assertEquals(List.of(expected), acts());
  }

  static String param(CallEffect.FetchTwiml fetch, String name) {
    return fetch.params().stream().filter(e -> e.getKey().equals(name))
        .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
  }

  static String param(CallEffect.Notify notify, String name) {
    return notify.params().stream().filter(e -> e.getKey().equals(name))
        .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
  }

  static String pb(int n) {
    return CALL + "-playback-" + n;
  }
}
