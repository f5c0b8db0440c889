package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Fetch;

/**
 * One step in the making: the state as it evolves and the effects emitted so far. Local to a
 * single {@link TwimlInterpreter#step} call, so its mutability never escapes.
 */
final class Transition {
  ScriptState state;
  final ScriptSettings settings;
  private final List<CallEffect> effects = new ArrayList<>();

  Transition(ScriptState state, ScriptSettings settings) {
    this.state = state;
    this.settings = settings;
  }

  TwimlInterpreter.Step result() {
    return new TwimlInterpreter.Step(state, List.copyOf(effects));
  }

  void emit(CallEffect effect) {
    effects.add(effect);
  }

  void await(Awaiting awaiting) {
    state = state.withAwaiting(awaiting);
  }

  void warn(String message) {
    emit(new CallEffect.LogWarning(message));
  }

  private long nextId() {
    long n = state.counter() + 1;
    state = state.withCounter(n);
    return n;
  }

  /** A playback id following the resource naming rule {@code <CallSid>-playback-<n>}. */
  String nextPlaybackId() {
    return state.callSid() + "-playback-" + nextId();
  }

  /** Emits the playback of {@code media} and returns its id. */
  String play(MediaRef media) {
    String id = nextPlaybackId();
    emit(new CallEffect.PlayMedia(id, media));
    return id;
  }

  void startTimer(ScriptTimer timer, Duration after) {
    emit(new CallEffect.StartTimer(timer, after));
  }

  void cancelTimer(ScriptTimer timer) {
    emit(new CallEffect.CancelTimer(timer));
  }

  /** Requests a document and waits for it. */
  void fetch(FetchPurpose purpose, Webhook target, List<Map.Entry<String, String>> params) {
    long id = nextId();
    emit(new CallEffect.FetchTwiml(id, target.url(), target.method(), params, purpose));
    await(new Awaiting.Document(new Fetch(id, purpose, target, List.copyOf(params))));
  }

  /** Hangs up and ends the script. */
  void hangup(HangupReason reason, CallStatus finalStatus) {
    emit(new CallEffect.HangupCall(reason, finalStatus));
    finish();
  }

  /**
   * Hangs up because the document ran out of verbs. The frame stays, past its last verb, so the
   * owner can tell running out (a whisper that accepts the call) from a {@code <Hangup>}.
   */
  void hangupAtEndOfDocument() {
    emit(new CallEffect.HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
    await(new Awaiting.Finished());
  }

  /** Ends the script without a hangup of its own (the call is already over). */
  void finish() {
    await(new Awaiting.Finished());
    state = state.withFrame(Optional.empty());
  }
}
