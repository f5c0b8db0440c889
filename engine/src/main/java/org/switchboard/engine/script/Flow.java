package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.QueueResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;
import org.switchboard.engine.script.ScriptState.Frame;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Echo;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Leave;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Refer;
import org.switchboard.engine.twiml.verb.Reject;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stop;
import org.switchboard.engine.twiml.verb.Verb;

/** Running verbs in document order: the core of the interpreter. */
final class Flow {

  /** Twilio's error code for an unusable document or a failed request. */
  static final int HTTP_RETRIEVAL_FAILURE = 11200;
  /** Twilio's "internal failure": something inside the engine failed while running the call. */
  static final int INTERNAL_FAILURE = 12400;

  private Flow() {}

  /** Starts a document fetched (or given inline) for this call. */
  static void load(Transition t, TwimlDocument document) {
    int loaded = t.state.documentsWithoutMedia() + 1;
    t.state = t.state.withDocumentsWithoutMedia(loaded);
    if (loaded > t.settings.maxDocumentsWithoutMedia()) {
      t.warn("application error: " + loaded + " documents in a row without media or input"
          + " (redirect loop), last " + document.url());
      if (t.state.queue().isPresent()) {
        QueuePart.abandonQueue(t, QueueResult.ERROR);
      } else {
        errorPrompt(t);
      }
      return;
    }
    document.warnings().forEach(w -> t.warn("TwiML " + document.url() + " " + w));
    t.state = t.state.withFrame(Optional.of(new Frame(document, 0)));
    runCurrent(t);
  }

  /** Moves to the next verb of the current document. */
  static void advance(Transition t) {
    Frame frame = t.state.frame().orElseThrow();
    t.state = t.state.withFrame(Optional.of(frame.next()));
    runCurrent(t);
  }

  /** Runs the verb at the frame's pc (or ends the document). */
  static void runCurrent(Transition t) {
    Frame frame = t.state.frame().orElseThrow();
    Optional<Verb> current = frame.verb();
    if (current.isEmpty()) {
      endOfDocument(t);
      return;
    }
    Verb verb = current.get();
    if (t.state.queue().isPresent() && !QueuePart.allowedWhileWaiting(verb)) {
      t.warn("<" + verb.getClass().getSimpleName() + "> is not allowed in a waitUrl document");
      QueuePart.abandonQueue(t, QueueResult.ERROR);
      return;
    }
    if (!t.state.answered() && needsAnswer(verb)) {
      t.emit(new CallEffect.AnswerCall());
      t.await(new Awaiting.Answer(false));
      return;
    }
    if (isProgress(verb)) {
      t.state = t.state.withDocumentsWithoutMedia(0);
    }
    run(t, verb);
  }

  private static void run(Transition t, Verb verb) {
    if (verb instanceof Say say) {
      playLoop(t, MediaRef.Speech.of(say), say.iterations());
    } else if (verb instanceof Play play) {
      play(t, play);
    } else if (verb instanceof Pause pause) {
      t.startTimer(ScriptTimer.PAUSE, Duration.ofSeconds(pause.length()));
      t.await(new Awaiting.Pause());
    } else if (verb instanceof Gather gather) {
      GatherPart.start(t, gather);
    } else if (verb instanceof Record record) {
      RecordPart.start(t, record);
    } else if (verb instanceof Dial dial) {
      t.emit(new CallEffect.StartDial(dial, t.state.answered()));
      t.await(new Awaiting.Delegated(Delegate.DIAL));
    } else if (verb instanceof Enqueue enqueue) {
      QueuePart.join(t, enqueue);
    } else if (verb instanceof Leave) {
      if (t.state.queue().isPresent()) {
        QueuePart.leave(t);
      } else {
        t.warn("<Leave> outside a waitUrl document is ignored");
        advance(t);
      }
    } else if (verb instanceof Hangup) {
      t.hangup(HangupReason.NORMAL, CallStatus.COMPLETED);
    } else if (verb instanceof Reject reject) {
      reject(t, reject);
    } else if (verb instanceof Redirect redirect) {
      t.fetch(FetchPurpose.REDIRECT, new Webhook(redirect.url(), redirect.method()), List.of());
    } else if (verb instanceof Connect connect) {
      t.emit(new CallEffect.StartConnect(connect));
      t.await(new Awaiting.Delegated(Delegate.CONNECT));
    } else if (verb instanceof Start start) {
      t.emit(new CallEffect.StartStream(start));
      advance(t);
    } else if (verb instanceof Stop stop) {
      t.emit(new CallEffect.StopStream(stop.streamName()));
      advance(t);
    } else if (verb instanceof Refer refer) {
      ReferPart.start(t, refer);
    } else if (verb instanceof Echo) {
      t.emit(new CallEffect.StartEcho());
      t.startTimer(ScriptTimer.ECHO, Duration.ofSeconds(Echo.SECONDS));
      t.await(new Awaiting.Delegated(Delegate.ECHO));
    } else {
      throw new IllegalStateException("no rule for the verb " + verb.getClass().getSimpleName());
    }
  }

  private static void reject(Transition t, Reject reject) {
    if (t.state.answered()) {
      t.hangup(HangupReason.NORMAL, CallStatus.COMPLETED);
    } else if (reject.reason() == Reject.Reason.BUSY) {
      t.hangup(HangupReason.BUSY, CallStatus.BUSY);
    } else {
      t.hangup(HangupReason.REJECTED, CallStatus.NO_ANSWER);
    }
  }

  private static void play(Transition t, Play play) {
    if (play.digits().isPresent()) {
      if (play.url().isPresent()) {
        t.warn("<Play> with both a URL and digits: only the digits are sent");
      }
      sendDigits(t, DigitSegments.split(play.digits().get()));
    } else {
      playLoop(t, MediaRef.forPlay(play.url().orElseThrow()), play.iterations());
    }
  }

  /** Plays {@code media} {@code iterations} times, one playback each. */
  static void playLoop(Transition t, MediaRef media, int iterations) {
    String id = t.play(media);
    t.await(new Awaiting.Media(id, media, iterations - 1));
  }

  /**
   * Sends the next DTMF segment or waits the next gap (a run sent is followed by the wait for its
   * playing time); advances when none is left.
   */
  static void sendDigits(Transition t, List<String> segments) {
    if (segments.isEmpty()) {
      advance(t);
      return;
    }
    String head = segments.get(0);
    List<String> rest = new ArrayList<>(segments.subList(1, segments.size()));
    int gapMs = DigitSegments.gapMillis(head);
    if (gapMs > 0) {
      t.startTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(gapMs));
    } else {
      t.emit(new CallEffect.SendDtmf(head));
      rest.add(0, DigitSegments.playing(head));
    }
    t.await(new Awaiting.Digits(List.copyOf(rest)));
  }

  /** The document ran out of verbs: hang up, or re-request the waitUrl while queued. */
  static void endOfDocument(Transition t) {
    if (t.state.queue().isPresent()) {
      QueuePart.waitDocumentOver(t);
    } else {
      t.hangupAtEndOfDocument();
    }
  }

  /** Requests an action with {@code params} (the verb's result). */
  static void action(Transition t, Webhook target, List<Map.Entry<String, String>> params) {
    t.fetch(FetchPurpose.ACTION, target, params);
  }

  /**
   * An application error (spec §5.3): inside a queue the caller leaves it with {@code error};
   * otherwise the fallback URL is tried once for this failure, then the error prompt plays.
   */
  static void fail(Transition t, int code, String url, String message) {
    t.warn("application error " + code + " (" + url + "): " + message);
    if (t.state.queue().isPresent()) {
      QueuePart.abandonQueue(t, QueueResult.ERROR);
      return;
    }
    Optional<ScriptState.Fetch> failed =
        t.state.awaiting() instanceof Awaiting.Document d ? Optional.of(d.fetch()) : Optional.empty();
    boolean wasFallback = failed.map(f -> f.purpose() == FetchPurpose.FALLBACK).orElse(false);
    if (t.state.fallback().isPresent() && !wasFallback) {
      List<Map.Entry<String, String>> params =
          new ArrayList<>(failed.map(ScriptState.Fetch::params).orElse(List.of()));
      params.add(Map.entry("ErrorCode", String.valueOf(code)));
      params.add(Map.entry("ErrorUrl", url));
      t.fetch(FetchPurpose.FALLBACK, t.state.fallback().get(), params);
      return;
    }
    errorPrompt(t);
  }

  /** Plays the configured error prompt (answering first if needed), then hangs up. */
  static void errorPrompt(Transition t) {
    if (!t.state.answered()) {
      t.emit(new CallEffect.AnswerCall());
      t.await(new Awaiting.Answer(true));
      return;
    }
    String id = t.play(t.settings.errorPrompt());
    t.await(new Awaiting.ErrorPrompt(id));
  }

  /** Stops whatever the current verb has running (playback, timers, recording, delegate). */
  static void interrupt(Transition t) {
    Awaiting awaiting = t.state.awaiting();
    if (awaiting instanceof Awaiting.Media m) {
      t.emit(new CallEffect.StopPlayback(m.playbackId()));
    } else if (awaiting instanceof Awaiting.ErrorPrompt e) {
      t.emit(new CallEffect.StopPlayback(e.playbackId()));
    } else if (awaiting instanceof Awaiting.Pause) {
      t.cancelTimer(ScriptTimer.PAUSE);
    } else if (awaiting instanceof Awaiting.Digits) {
      t.cancelTimer(ScriptTimer.DIGIT_GAP);
    } else if (GatherPart.progressOf(awaiting).isPresent()) {
      GatherPart.progressOf(awaiting).get().playbackId()
          .ifPresent(id -> t.emit(new CallEffect.StopPlayback(id)));
      t.cancelTimer(ScriptTimer.PAUSE);
      t.cancelTimer(ScriptTimer.GATHER_TIMEOUT);
      if (awaiting instanceof Awaiting.SpeechGathering) {
        t.emit(new CallEffect.StopSpeech());
      }
    } else if (awaiting instanceof Awaiting.Recording r) {
      t.emit(new CallEffect.StopRecording(r.progress().recordingSid()));
    } else if (awaiting instanceof Awaiting.Delegated d) {
      if (d.delegate() == Delegate.DIAL || d.delegate() == Delegate.CONNECT) {
        t.emit(new CallEffect.CancelDelegate(QueueResult.REDIRECTED.wire()));
      }
      if (d.delegate() == Delegate.ECHO) {
        t.cancelTimer(ScriptTimer.ECHO);
        t.emit(new CallEffect.CancelDelegate(QueueResult.REDIRECTED.wire()));
      }
      if (d.delegate() == Delegate.REFER || d.delegate() == Delegate.REFER_ACCEPTED) {
        t.cancelTimer(ScriptTimer.REFER);
      }
    } else if (!(awaiting instanceof Awaiting.Begin
        || awaiting instanceof Awaiting.Answer
        || awaiting instanceof Awaiting.Document
        || awaiting instanceof Awaiting.Finished)) {
      // Those run nothing to stop; any other situation must say what it stops.
      throw new IllegalStateException(
          "no rule to interrupt " + awaiting.getClass().getSimpleName());
    }
  }

  /** The URL of the running document, for error reports. */
  static String currentUrl(Transition t) {
    return t.state.frame().map(f -> f.document().url().toString()).orElse("");
  }

  private static boolean needsAnswer(Verb verb) {
    if (verb instanceof Dial dial) {
      return !dial.answerOnBridge();
    }
    return verb instanceof Say
        || verb instanceof Play
        || verb instanceof Gather
        || verb instanceof Record
        || verb instanceof Hangup
        || verb instanceof Enqueue
        || verb instanceof Connect
        || verb instanceof Start
        || verb instanceof Echo;
  }

  private static boolean isProgress(Verb verb) {
    return verb instanceof Say
        || verb instanceof Play
        || verb instanceof Pause
        || verb instanceof Gather
        || verb instanceof Record
        || verb instanceof Dial
        || verb instanceof Enqueue
        || verb instanceof Connect
        || verb instanceof Echo;
  }

  /** Parameters as webhook form fields, ordered by name. */
  static List<Map.Entry<String, String>> sorted(Map<String, String> params) {
    return params.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
  }
}
