package org.switchboard.engine.call;

import java.util.Locale;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.ScriptState.Awaiting;

/**
 * What a call is doing, in one or two words for status pages: the TwiML verb it runs ({@code
 * Say}, {@code Gather}, {@code Dial}, {@code Enqueue}…), or what it waits for between verbs
 * ({@code fetching TwiML}, {@code answering}, {@code error prompt}, {@code ended}).
 */
public final class CallActivity {
  private CallActivity() {}

  /** The activity of a call whose script stands at {@code state}. */
  public static String of(ScriptState state) {
    Awaiting awaiting = state.awaiting();
    if (state.queue().isPresent()) {
      return "Enqueue";
    }
    if (awaiting instanceof Awaiting.Begin) {
      return "starting";
    }
    if (awaiting instanceof Awaiting.Document) {
      return "fetching TwiML";
    }
    if (awaiting instanceof Awaiting.Answer) {
      return "answering";
    }
    if (awaiting instanceof Awaiting.ErrorPrompt) {
      return "error prompt";
    }
    if (awaiting instanceof Awaiting.Finished) {
      return "ended";
    }
    return state.frame()
        .flatMap(ScriptState.Frame::verb)
        .map(verb -> verb.getClass().getSimpleName())
        .orElse(awaiting.getClass().getSimpleName().toLowerCase(Locale.ROOT));
  }
}
