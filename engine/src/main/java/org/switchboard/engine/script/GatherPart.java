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
 * {@code <Gather>} with DTMF (spec §4.4): nested prompts in order, the first key stops them, the
 * timeout runs after the prompts and between digits, finishOnKey and numDigits end input.
 * Speech is not recognised: a speech-only gather plays its prompts and times out.
 */
final class GatherPart {
  private GatherPart() {}

  static void start(Transition t, Gather gather) {
    if (gather.speech() && !t.state.speechWarned()) {
      t.warn("<Gather input=\"speech\"> is not supported: speech is not recognised on this call");
      t.state = t.state.withSpeechWarned(true);
    }
    nextPrompt(t, new GatherProgress(gather, -1, Optional.empty(), 0, "", true));
  }

  private static void nextPrompt(Transition t, GatherProgress p) {
    int index = p.prompt() + 1;
    List<Gather.Prompt> prompts = p.gather().prompts();
    if (index >= prompts.size()) {
      t.startTimer(ScriptTimer.GATHER_TIMEOUT, timeout(p.gather()));
      t.await(gathering(p, index, Optional.empty(), 0, p.digits(), false));
      return;
    }
    Gather.Prompt prompt = prompts.get(index);
    if (prompt instanceof Pause pause) {
      t.startTimer(ScriptTimer.PAUSE, Duration.ofSeconds(pause.length()));
      t.await(gathering(p, index, Optional.empty(), 0, p.digits(), true));
    } else if (prompt instanceof Say say) {
      String id = t.play(MediaRef.Speech.of(say));
      t.await(gathering(p, index, Optional.of(id), say.iterations() - 1, p.digits(), true));
    } else if (prompt instanceof Play play && play.url().isPresent()) {
      String id = t.play(MediaRef.forPlay(play.url().get()));
      t.await(gathering(p, index, Optional.of(id), play.iterations() - 1, p.digits(), true));
    } else {
      nextPrompt(t, gathering(p, index, Optional.empty(), 0, p.digits(), true).progress());
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
      t.await(gathering(p, p.prompt(), Optional.of(id), p.loopsLeft() - 1, p.digits(), true));
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
    t.await(gathering(p, p.gather().prompts().size(), Optional.empty(), 0, digits, false));
  }

  private static void noInput(Transition t, Gather gather) {
    if (gather.actionOnEmptyResult()) {
      submit(t, gather, "", "");
    } else {
      Flow.advance(t);
    }
  }

  private static void submit(Transition t, Gather gather, String digits, String finishedOnKey) {
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

  private static Awaiting.Gathering gathering(
      GatherProgress p,
      int prompt,
      Optional<String> playbackId,
      int loopsLeft,
      String digits,
      boolean prompting) {
    return new Awaiting.Gathering(
        new GatherProgress(p.gather(), prompt, playbackId, loopsLeft, digits, prompting));
  }
}
