package org.switchboard.engine.script;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.GatherProgress;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Say;

/**
 * {@code <Gather>} (spec §4.4): nested prompts in order, the first key stops them (with {@code
 * bargeIn="false"} keys are collected while the prompts play to their end), the timeout
 * runs after the prompts and between digits, finishOnKey and numDigits end input. With speech
 * input the call listens from the start ({@link CallEffect.StartSpeech}): the caller's first words
 * (talk detection) stop the prompts when {@code bargeIn} and the timeout; the end of talking
 * (after the {@code speechTimeout} silence, which talk detection measures) asks the recogniser
 * ({@link CallEffect.EndSpeech}), whose answer goes to the action as {@code SpeechResult} and
 * {@code Confidence}; nothing recognised is the no-input path. With {@code dtmf speech} the first
 * input wins: a key before any speech stops listening, speech once heard ignores keys.
 */
final class GatherPart {
  private GatherPart() {}

  static void start(Transition t, Gather gather) {
    GatherProgress first = new GatherProgress(gather, -1, Optional.empty(), 0, "", true);
    if (gather.speech()) {
      t.emit(new CallEffect.StartSpeech(gather));
      t.await(new Awaiting.SpeechGathering(first, false, false));
    }
    nextPrompt(t, first);
  }

  /** The progress of a running gather, if {@code awaiting} is one. */
  static Optional<GatherProgress> progressOf(Awaiting awaiting) {
    if (awaiting instanceof Awaiting.Gathering g) {
      return Optional.of(g.progress());
    }
    if (awaiting instanceof Awaiting.SpeechGathering g) {
      return Optional.of(g.progress());
    }
    return Optional.empty();
  }

  private static void nextPrompt(Transition t, GatherProgress p) {
    int index = p.prompt() + 1;
    List<Gather.Prompt> prompts = p.gather().prompts();
    if (index >= prompts.size()) {
      if (heldInputEnded(p)) {
        endHeldInput(t, p);
        return;
      }
      t.startTimer(ScriptTimer.GATHER_TIMEOUT, timeout(p.gather()));
      t.await(gathering(t, p, index, Optional.empty(), 0, p.digits(), false));
      return;
    }
    Gather.Prompt prompt = prompts.get(index);
    if (prompt instanceof Pause pause) {
      t.startTimer(ScriptTimer.PAUSE, Duration.ofSeconds(pause.length()));
      t.await(gathering(t, p, index, Optional.empty(), 0, p.digits(), true));
    } else if (prompt instanceof Say say) {
      String id = t.play(MediaRef.Speech.of(say));
      t.await(gathering(t, p, index, Optional.of(id), say.iterations() - 1, p.digits(), true));
    } else if (prompt instanceof Play play && play.url().isPresent()) {
      String id = t.play(MediaRef.forPlay(play.url().get()));
      t.await(gathering(t, p, index, Optional.of(id), play.iterations() - 1, p.digits(), true));
    } else {
      nextPrompt(t, new GatherProgress(p.gather(), index, Optional.empty(), 0, p.digits(), true));
    }
  }

  static void onPlaybackFinished(Transition t, GatherProgress p, String playbackId) {
    if (!p.prompting() || !p.playbackId().equals(Optional.of(playbackId))) {
      return;
    }
    if (p.loopsLeft() > 0) {
      Gather.Prompt prompt = p.gather().prompts().get(p.prompt());
      MediaRef media =
          prompt instanceof Say say
              ? MediaRef.Speech.of(say)
              : MediaRef.forPlay(((Play) prompt).url().orElseThrow());
      String id = t.play(media);
      t.await(gathering(t, p, p.prompt(), Optional.of(id), p.loopsLeft() - 1, p.digits(), true));
    } else {
      nextPrompt(t, p);
    }
  }

  static void onTimer(Transition t, GatherProgress p, ScriptTimer timer) {
    if (timer == ScriptTimer.PAUSE && p.prompting()) {
      nextPrompt(t, p);
    } else if (timer == ScriptTimer.GATHER_TIMEOUT && !p.prompting()) {
      if (p.digits().isEmpty()) {
        noInput(t, p.gather());
      } else {
        submit(t, p.gather(), p.digits(), "");
      }
    }
  }

  static void onDigit(Transition t, GatherProgress p, String digit) {
    if (!p.gather().dtmf()) {
      return;
    }
    if (t.state.awaiting() instanceof Awaiting.SpeechGathering s) {
      if (s.heard()) {
        return;
      }
      t.emit(new CallEffect.StopSpeech());
      t.await(new Awaiting.Gathering(p));
    }
    if (p.prompting() && !p.gather().bargeIn()) {
      holdDuringPrompts(t, p, digit);
      return;
    }
    if (p.prompting()) {
      p.playbackId().ifPresent(id -> t.emit(new CallEffect.StopPlayback(id)));
      if (p.playbackId().isEmpty()) {
        t.cancelTimer(ScriptTimer.PAUSE);
      }
    }
    String finishOnKey = p.gather().finishOnKey();
    if (!finishOnKey.isEmpty() && finishOnKey.contains(digit)) {
      t.cancelTimer(ScriptTimer.GATHER_TIMEOUT);
      if (p.digits().isEmpty()) {
        noInput(t, p.gather());
      } else {
        submit(t, p.gather(), p.digits(), digit);
      }
      return;
    }
    String digits = p.digits() + digit;
    if (p.gather().numDigits().isPresent() && digits.length() >= p.gather().numDigits().getAsInt()) {
      t.cancelTimer(ScriptTimer.GATHER_TIMEOUT);
      submit(t, p.gather(), digits, "");
      return;
    }
    t.startTimer(ScriptTimer.GATHER_TIMEOUT, timeout(p.gather()));
    t.await(gathering(t, p, p.gather().prompts().size(), Optional.empty(), 0, digits, false));
  }

  /**
   * {@code bargeIn="false"}: a key pressed while the prompts play is collected and the prompts go
   * on. An input that ends there ({@code numDigits} reached, or {@code finishOnKey}) is held until
   * the prompts are over; the key that ended it is kept last in {@code digits} (it can never be a
   * collected digit, since it always ends input) and later keys are ignored.
   */
  private static void holdDuringPrompts(Transition t, GatherProgress p, String digit) {
    if (heldInputEnded(p)) {
      return;
    }
    t.await(gathering(t, p, p.prompt(), p.playbackId(), p.loopsLeft(), p.digits() + digit, true));
  }

  /** Whether input collected during the prompts ({@link #holdDuringPrompts}) has ended. */
  private static boolean heldInputEnded(GatherProgress p) {
    String digits = p.digits();
    String finishOnKey = p.gather().finishOnKey();
    boolean finished = !finishOnKey.isEmpty() && digits.endsWith(finishOnKey);
    boolean counted = p.gather().numDigits().isPresent()
        && digits.length() >= p.gather().numDigits().getAsInt();
    return finished || counted;
  }

  /** The prompts are over and held input had ended: the gather ends as it would have then. */
  private static void endHeldInput(Transition t, GatherProgress p) {
    String digits = p.digits();
    String finishOnKey = p.gather().finishOnKey();
    if (!finishOnKey.isEmpty() && digits.endsWith(finishOnKey)) {
      String collected = digits.substring(0, digits.length() - finishOnKey.length());
      if (collected.isEmpty()) {
        noInput(t, p.gather());
      } else {
        submit(t, p.gather(), collected, finishOnKey);
      }
    } else {
      submit(t, p.gather(), digits, "");
    }
  }

  /**
   * Talk detection on the caller: the first words stop the prompts ({@code bargeIn}) and the
   * timeout; the end of talking is the end of speech. Talking during prompts without {@code
   * bargeIn} does not count.
   */
  static void onTalking(Transition t, Awaiting.SpeechGathering s, boolean talking) {
    GatherProgress p = s.progress();
    if (s.ending() || (s.heard() && talking)) {
      return;
    }
    if (talking) {
      if (p.prompting() && !p.gather().bargeIn()) {
        return;
      }
      if (p.prompting()) {
        p.playbackId().ifPresent(id -> t.emit(new CallEffect.StopPlayback(id)));
        t.cancelTimer(ScriptTimer.PAUSE);
      }
      t.cancelTimer(ScriptTimer.GATHER_TIMEOUT);
      GatherProgress heard = new GatherProgress(
          p.gather(), p.gather().prompts().size(), Optional.empty(), 0, p.digits(), false);
      t.await(new Awaiting.SpeechGathering(heard, true, false));
    } else if (s.heard()) {
      t.emit(new CallEffect.EndSpeech());
      t.await(new Awaiting.SpeechGathering(p, true, true));
    }
  }

  /**
   * The recogniser answered: a text goes to the action ({@code partialResultCallback} first hears
   * it), nothing recognised is no input.
   */
  static void onRecognized(Transition t, Awaiting.SpeechGathering s, String text, double confidence) {
    Gather gather = s.progress().gather();
    if (text.isBlank()) {
      noInput(t, gather);
      return;
    }
    gather.partialResultCallback().ifPresent(url -> t.emit(new CallEffect.Notify(url,
        gather.partialResultCallbackMethod(),
        List.of(Map.entry("UnstableSpeechResult", ""), Map.entry("StableSpeechResult", text),
            Map.entry("Stability", "1.0"), Map.entry("SequenceNumber", "1"),
            Map.entry("SpeechActivity", "false")),
        "partial-result")));
    stopListening(t);
    List<Map.Entry<String, String>> params = new java.util.ArrayList<>();
    params.add(Map.entry("SpeechResult", text));
    if (confidence >= 0) {
      params.add(Map.entry("Confidence", String.format(java.util.Locale.ROOT, "%.6f", confidence)));
    }
    params.add(Map.entry("msg", "Gather End"));
    Flow.action(t, new Webhook(gather.action(), gather.method()), params);
  }

  /** A speech gather ends: what listening holds is released. */
  private static void stopListening(Transition t) {
    if (t.state.awaiting() instanceof Awaiting.SpeechGathering) {
      t.emit(new CallEffect.StopSpeech());
      t.cancelTimer(ScriptTimer.GATHER_TIMEOUT);
      t.cancelTimer(ScriptTimer.PAUSE);
    }
  }

  private static void noInput(Transition t, Gather gather) {
    stopListening(t);
    if (gather.actionOnEmptyResult()) {
      submit(t, gather, "", "");
    } else {
      Flow.advance(t);
    }
  }

  private static void submit(Transition t, Gather gather, String digits, String finishedOnKey) {
    stopListening(t);
    Flow.action(
        t,
        new Webhook(gather.action(), gather.method()),
        List.of(
            Map.entry("Digits", digits),
            Map.entry("FinishedOnKey", finishedOnKey),
            Map.entry("msg", "Gather End")));
  }

  private static Duration timeout(Gather gather) {
    return Duration.ofSeconds(gather.timeout());
  }

  private static Awaiting gathering(
      Transition t,
      GatherProgress p,
      int prompt,
      Optional<String> playbackId,
      int loopsLeft,
      String digits,
      boolean prompting) {
    GatherProgress next =
        new GatherProgress(p.gather(), prompt, playbackId, loopsLeft, digits, prompting);
    return t.state.awaiting() instanceof Awaiting.SpeechGathering s
        ? new Awaiting.SpeechGathering(next, s.heard(), s.ending())
        : new Awaiting.Gathering(next);
  }
}
