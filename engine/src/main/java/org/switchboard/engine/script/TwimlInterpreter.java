package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.QueueResult;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.script.ScriptInput.*;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * The pure TwiML interpreter: {@code step(state, input)} gives the next state and the effects the
 * call actor must run. No actors, no I/O: time arrives inside inputs (only a queued caller's
 * QueueTime on {@code <Leave>} reads {@link ScriptSettings#clock()}), ids come from the state's
 * counter (and RecordingSids from {@link ScriptSettings#recordingSids()}).
 *
 * <p>Semantics follow the spec: verbs run strictly in document order and each waits for its
 * completion; the call is answered lazily before the first verb that needs media; documents come
 * from fetches whose failures take the fallback/error-prompt path; delegated verbs (Dial, Enqueue,
 * Connect) resume on the inputs their delegates send.
 */
public final class TwimlInterpreter {

  /** A step's outcome: the new state and the effects to run, in order. */
  public record Step(ScriptState state, List<CallEffect> effects) {}

  /** The dial parameter of a callee's REFER, and the one {@code referUrl} is requested with. */
  static final String REFER_TRANSFER_TARGET = "ReferTransferTarget";

  private final ScriptSettings settings;

  public TwimlInterpreter(ScriptSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Applies {@code input} to {@code state}. Inputs that do not fit the state are ignored. */
  public Step step(ScriptState state, ScriptInput input) {
    Transition t = new Transition(state, settings);
    if (state.finished()) {
      if (input instanceof DialEnded ended) {
        dialEndedAfterHangup(t, ended.params());
      }
      return t.result();
    }
    Awaiting awaiting = state.awaiting();
    if (input instanceof Begin begin) {
      if (awaiting instanceof Awaiting.Begin) {
        t.state = t.state.withFallback(begin.fallback());
        t.fetch(FetchPurpose.INITIAL, begin.voice(), List.of());
      }
    } else if (input instanceof BeginInline inline) {
      if (awaiting instanceof Awaiting.Begin) {
        t.state = t.state.withFallback(inline.fallback());
        Documents.loadInline(t, inline.twiml(), inline.base());
      }
    } else if (input instanceof Answered) {
      onAnswered(t);
    } else if (input instanceof DocumentFetched fetched) {
      if (awaiting instanceof Awaiting.Document d && d.fetch().fetchId() == fetched.fetchId()) {
        Documents.onFetched(t, fetched);
      }
    } else if (input instanceof FetchFailed failed) {
      if (awaiting instanceof Awaiting.Document d && d.fetch().fetchId() == failed.fetchId()) {
        Flow.fail(t, failed.errorCode(), d.fetch().target().url().toString(), failed.reason());
      }
    } else if (input instanceof PlaybackFinished finished) {
      onPlaybackFinished(t, finished);
    } else if (input instanceof DtmfSent) {
      if (awaiting instanceof Awaiting.Digits d) {
        Flow.sendDigits(t, d.segments());
      }
    } else if (input instanceof Digit digit) {
      onDigit(t, digit.digit());
    } else if (input instanceof TimerFired fired) {
      onTimer(t, fired.timer());
    } else if (input instanceof RecordingStarted started) {
      if (awaiting instanceof Awaiting.Recording r) {
        RecordPart.onStarted(t, r.progress(), started.name(), started.at());
      }
    } else if (input instanceof RecordingFinished finished) {
      if (awaiting instanceof Awaiting.Recording r) {
        RecordPart.onFinished(t, r.progress(), finished.name(), finished.durationSeconds());
      }
    } else if (input instanceof RecordingFailed failed) {
      if (awaiting instanceof Awaiting.Recording r) {
        RecordPart.onFailed(t, r.progress(), failed.name(), failed.cause());
      }
    } else if (input instanceof CallEnded ended) {
      if (awaiting instanceof Awaiting.Recording r) {
        RecordPart.onCallEnded(t, r.progress(), ended.at());
      } else if (ReferPart.referring(t)) {
        ReferPart.onCallEnded(t, ended.at());
      } else if (awaiting instanceof Awaiting.Delegated d && d.delegate() == Delegate.DIAL) {
        // The frame stays on the <Dial>: its action is still requested when the dial reports.
        t.await(new Awaiting.Finished());
      } else if (!QueuePart.onQueuedCallEnded(t, ended.at())) {
        t.finish();
      }
    } else if (input instanceof RedirectRequested redirect) {
      onRedirect(t, redirect);
    } else if (input instanceof CommandFailed failed) {
      onCommandFailed(t, failed.message());
    } else if (input instanceof Fault fault) {
      onFault(t, fault.message());
    } else if (input instanceof DialEnded ended) {
      onDelegateEnded(t, Delegate.DIAL, ended.params());
    } else if (input instanceof ReferAccepted) {
      ReferPart.onAccepted(t);
    } else if (input instanceof ReferRefused refused) {
      ReferPart.onRefused(t, refused.reason());
    } else if (input instanceof ConnectEnded ended) {
      onDelegateEnded(t, Delegate.CONNECT, ended.params());
    } else if (input instanceof Queued queued) {
      QueuePart.onQueued(t, queued.params());
    } else if (input instanceof Dequeued) {
      QueuePart.onDequeued(t);
    } else if (input instanceof QueueExited exited) {
      QueuePart.onExited(t, exited.result(), exited.params());
    } else if (input instanceof Talking talking) {
      if (t.state.awaiting() instanceof Awaiting.SpeechGathering g) {
        GatherPart.onTalking(t, g, talking.talking());
      }
    } else if (input instanceof SpeechRecognized r) {
      if (t.state.awaiting() instanceof Awaiting.SpeechGathering g) {
        GatherPart.onRecognized(t, g, r.text(), r.confidence());
      }
    } else if (input instanceof Resumed) {
      ResumePart.resume(t);
    } else {
      throw new IllegalStateException("no rule for the input " + input.getClass().getSimpleName());
    }
    return t.result();
  }

  private static void onAnswered(Transition t) {
    if (!(t.state.awaiting() instanceof Awaiting.Answer answer)) {
      t.state = t.state.withAnswered(true);
      return;
    }
    t.state = t.state.withAnswered(true);
    if (answer.thenErrorPrompt()) {
      Flow.errorPrompt(t);
    } else {
      Flow.runCurrent(t);
    }
  }

  private static void onPlaybackFinished(Transition t, PlaybackFinished finished) {
    Awaiting awaiting = t.state.awaiting();
    if (awaiting instanceof Awaiting.Media m && m.playbackId().equals(finished.playbackId())) {
      if (finished.failed()) {
        t.warn("playback " + finished.playbackId() + " failed; going on with the next verb");
        Flow.advance(t);
      } else if (m.remaining() > 0) {
        String id = t.play(m.media());
        t.await(new Awaiting.Media(id, m.media(), m.remaining() - 1));
      } else {
        Flow.advance(t);
      }
    } else if (GatherPart.progressOf(awaiting).isPresent()) {
      GatherPart.onPlaybackFinished(t, GatherPart.progressOf(awaiting).get(), finished.playbackId());
    } else if (awaiting instanceof Awaiting.ErrorPrompt e
        && e.playbackId().equals(finished.playbackId())) {
      t.hangup(org.switchboard.engine.port.HangupReason.NORMAL, CallStatus.COMPLETED);
    }
  }

  private static void onDigit(Transition t, String digit) {
    Awaiting awaiting = t.state.awaiting();
    if (GatherPart.progressOf(awaiting).isPresent()) {
      GatherPart.onDigit(t, GatherPart.progressOf(awaiting).get(), digit);
    } else if (awaiting instanceof Awaiting.Recording r) {
      RecordPart.onDigit(t, r.progress(), digit);
    }
  }

  private static void onTimer(Transition t, ScriptTimer timer) {
    Awaiting awaiting = t.state.awaiting();
    if (awaiting instanceof Awaiting.Pause && timer == ScriptTimer.PAUSE) {
      Flow.advance(t);
    } else if (awaiting instanceof Awaiting.Digits d && timer == ScriptTimer.DIGIT_GAP) {
      Flow.sendDigits(t, d.segments());
    } else if (GatherPart.progressOf(awaiting).isPresent()) {
      GatherPart.onTimer(t, GatherPart.progressOf(awaiting).get(), timer);
    } else if (timer == ScriptTimer.REFER) {
      ReferPart.onTimeout(t);
    } else if (timer == ScriptTimer.ECHO && awaiting instanceof Awaiting.Delegated echo
        && echo.delegate() == Delegate.ECHO) {
      t.emit(new CallEffect.CancelDelegate("echo-over"));
      Flow.advance(t);
    }
  }

  private static void onRedirect(Transition t, RedirectRequested redirect) {
    if (t.state.awaiting() instanceof Awaiting.Begin) {
      return;
    }
    URI base =
        t.state.queue().map(q -> q.resume().document().url())
            .or(() -> t.state.frame().map(f -> f.document().url()))
            .orElse(redirect.url().orElse(URI.create("about:blank")));
    if (t.state.queue().isPresent()) {
      QueuePart.abandonQueueSilently(t, QueueResult.REDIRECTED);
    } else {
      Flow.interrupt(t);
    }
    t.state = t.state.withDocumentsWithoutMedia(0);
    if (redirect.url().isPresent()) {
      t.fetch(FetchPurpose.REDIRECT, new Webhook(redirect.url().get(), redirect.method()),
          List.of());
    } else {
      Documents.loadInline(t, redirect.twiml().orElse("<Response/>"), base);
    }
  }

  private static void onCommandFailed(Transition t, String message) {
    t.warn("call command failed: " + message);
    if (t.state.awaiting() instanceof Awaiting.ErrorPrompt
        || t.state.awaiting() instanceof Awaiting.Answer a && a.thenErrorPrompt()) {
      t.hangup(org.switchboard.engine.port.HangupReason.NORMAL,
          t.state.answered() ? CallStatus.COMPLETED : CallStatus.FAILED);
      return;
    }
    if (t.state.queue().isPresent()) {
      QueuePart.abandonQueueSilently(t, QueueResult.SYSTEM_ERROR);
    } else {
      Flow.interrupt(t);
    }
    Flow.errorPrompt(t);
  }

  /**
   * An internal failure: what runs stops and the error path starts (fallback URL once, else the
   * error prompt); a failure during the error prompt itself hangs up.
   */
  private static void onFault(Transition t, String message) {
    Awaiting awaiting = t.state.awaiting();
    if (awaiting instanceof Awaiting.ErrorPrompt
        || awaiting instanceof Awaiting.Answer a && a.thenErrorPrompt()) {
      t.warn("internal failure during the error prompt: " + message);
      t.hangup(org.switchboard.engine.port.HangupReason.NORMAL,
          t.state.answered() ? CallStatus.COMPLETED : CallStatus.FAILED);
      return;
    }
    if (!(awaiting instanceof Awaiting.Document) && t.state.queue().isEmpty()) {
      Flow.interrupt(t);
    }
    Flow.fail(t, Flow.INTERNAL_FAILURE, Flow.currentUrl(t), message);
  }

  static void onDelegateEnded(Transition t, Delegate kind, Map<String, String> params) {
    if (!(t.state.awaiting() instanceof Awaiting.Delegated d) || d.delegate() != kind) {
      return;
    }
    Verb verb = t.state.frame().flatMap(ScriptState.Frame::verb).orElseThrow();
    Optional<Webhook> action = Optional.empty();
    String referTarget = params.get(REFER_TRANSFER_TARGET);
    if (verb instanceof Dial dial && referTarget != null && dial.referUrl().isPresent()) {
      // The callee transferred the call (SIP REFER): its referUrl says where it goes (spec §4.6).
      Flow.action(t, new Webhook(dial.referUrl().get(), dial.referMethod()),
          List.of(Map.entry(REFER_TRANSFER_TARGET, referTarget)));
      return;
    }
    if (verb instanceof Dial dial) {
      action = dial.action().map(url -> new Webhook(url, dial.method()));
    } else if (verb instanceof Connect connect) {
      action = connect.action().map(url -> new Webhook(url, connect.method()));
    }
    if (action.isPresent()) {
      Flow.action(t, action.get(), Flow.sorted(params));
    } else {
      Flow.advance(t);
    }
  }

  /**
   * The caller hung up during a {@code <Dial>} with an {@code action}: Twilio requests the action
   * when the dialed call ends (spec §4.6), with the dial's result; the TwiML it returns cannot run.
   */
  private static void dialEndedAfterHangup(Transition t, Map<String, String> params) {
    Optional<Dial> dial =
        t.state.frame().flatMap(ScriptState.Frame::verb)
            .filter(Dial.class::isInstance).map(Dial.class::cast);
    if (dial.isEmpty() || dial.get().action().isEmpty()) {
      return;
    }
    long id = t.state.counter() + 1;
    t.state = t.state.withCounter(id).withFrame(Optional.empty());
    t.emit(new CallEffect.FetchTwiml(id, dial.get().action().get(), dial.get().method(),
        Flow.sorted(params), FetchPurpose.AFTER_HANGUP));
  }
}
