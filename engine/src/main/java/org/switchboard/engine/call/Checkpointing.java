package org.switchboard.engine.call;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.twiml.TwimlDocument;

/**
 * Writes a call's {@link CallCheckpoint} at the verb boundaries a restart needs (not on every ARI
 * event, nor on every step of the script). Nothing is written in memory mode or once the script
 * is over; {@link #forget} clears the checkpoint when the call ends.
 *
 * <p>A restart resumes from the last checkpoint ({@code script.ResumePart}), so a step needs a
 * write exactly when resuming from the previous checkpoint would do something else than resuming
 * from the new state. It does ({@link Boundary}) when the document or the verb changes, when the
 * script waits for something else (another document request, playback, delegate, recording), when
 * the caller joins or leaves a queue, when the call is answered or a status callback was sent (its
 * SequenceNumber must not be used twice). It does not:
 *
 * <ul>
 *   <li>when a {@code <Gather>} receives a digit: a resumed Gather starts again from its first
 *       prompt and drops the digits typed before, from either state; the digit that completes it
 *       moves the script on (an action request), which writes;
 *   <li>when a {@code <Pause>} or {@code <Play digits>} follows a prompt (Say, Play, Pause, Play
 *       digits) of the same document and nothing else changed: the restart then starts again at
 *       the earlier prompt of that run instead of at the Pause, so the caller hears the prompts
 *       of the run again (they play nothing that must be stopped; any step that starts a playback
 *       writes, so the playback a restart stops is always the one that plays).
 * </ul>
 *
 * <p>The writes themselves are coalesced and batched by the node's writer ({@link CallStore}).
 */
final class Checkpointing {
  private final Optional<CallCheckpoints> store;
  private final CallStart start;
  private final String callSid;
  private final Instant startTime;
  private Boundary last;

  Checkpointing(
      Optional<CallCheckpoints> store, String callSid, CallStart start,
      Instant startTime) {
    this.store = store;
    this.callSid = callSid;
    this.start = start;
    this.startTime = startTime;
  }

  /** The script stepped to {@code script}; writes a checkpoint if a restart needs it. */
  void stepped(ScriptState script, Optional<Instant> answeredAt, int statusSequence) {
    if (store.isEmpty() || script.finished()) {
      return;
    }
    if (!crossed(script, answeredAt.isPresent(), statusSequence)) {
      return;
    }
    store.get().save(new CallCheckpoint(callSid, start.channel(), start.params(),
        start.application(), startTime, answeredAt, statusSequence, script));
  }

  /** Whether {@code script} needs a write (then it is the last one written from now on). */
  boolean crossed(ScriptState script, boolean answered, int statusSequence) {
    Boundary next = Boundary.of(script, answered, statusSequence);
    if (last != null && !next.needsWrite(last)) {
      return false;
    }
    last = next;
    return true;
  }

  /** The call is over: its checkpoint goes. */
  void forget() {
    store.ifPresent(CallCheckpoints::forget);
  }

  /**
   * What of a script state decides how a restart resumes it: the document (by identity) and the
   * verb, what is awaited with the id a restart uses (the document request's fetch id, the
   * delegate, the recording), the playback a restart stops, whether it rejoins a queue, the queue
   * membership, the answer and the next status SequenceNumber.
   *
   * @param stops the playback that plays in this state (a restart stops it first), or null
   * @param rejoins whether a restart puts the caller back into its queue whatever the wait
   *     document does (prompts, pauses, a wait document requested, waiting for the queue)
   */
  record Boundary(
      TwimlDocument document,
      int pc,
      Class<?> awaiting,
      Object awaited,
      String stops,
      boolean rejoins,
      Optional<Instant> enqueuedAt,
      boolean answered,
      int statusSequence) {

    static Boundary of(ScriptState s, boolean answered, int statusSequence) {
      Awaiting a = s.awaiting();
      return new Boundary(
          s.frame().map(ScriptState.Frame::document).orElse(null),
          s.frame().map(ScriptState.Frame::pc).orElse(-1),
          a.getClass(),
          awaited(a),
          stops(a),
          s.queue().isPresent() && rejoins(a),
          s.queue().map(ScriptState.QueueWait::enqueuedAt),
          answered,
          statusSequence);
    }

    /** Whether a restart from {@code written} would resume otherwise than from this state. */
    boolean needsWrite(Boundary written) {
      if (!Objects.equals(enqueuedAt, written.enqueuedAt) || answered != written.answered
          || statusSequence != written.statusSequence) {
        return true;
      }
      boolean newPlayback = stops != null && !stops.equals(written.stops);
      if (rejoins && written.rejoins) {
        return newPlayback;
      }
      boolean sameVerb = document == written.document && pc == written.pc
          && awaiting == written.awaiting;
      if (document == written.document && silent(awaiting) && prompt(written.awaiting)) {
        return false;
      }
      if (sameVerb && awaiting == Awaiting.Gathering.class) {
        return newPlayback;
      }
      return !sameVerb || !Objects.equals(awaited, written.awaited)
          || !Objects.equals(stops, written.stops);
    }

    /** The id a restart of this awaited thing uses; digits of a Gather are not one. */
    private static Object awaited(Awaiting a) {
      if (a instanceof Awaiting.Document d) {
        return d.fetch().fetchId();
      } else if (a instanceof Awaiting.Delegated d) {
        return d.delegate();
      } else if (a instanceof Awaiting.Recording r) {
        return r.progress().recordingSid();
      } else if (a instanceof Awaiting.Answer answer) {
        return answer.thenErrorPrompt();
      }
      return "";
    }

    private static String stops(Awaiting a) {
      if (a instanceof Awaiting.Media m) {
        return m.playbackId();
      } else if (a instanceof Awaiting.Gathering g) {
        return g.progress().playbackId().orElse(null);
      } else if (a instanceof Awaiting.ErrorPrompt e) {
        return e.playbackId();
      }
      return null;
    }

    /**
     * Whether a queued caller in this state is resumed by rejoining its queue: in the wait
     * document (a document requested for it included: the rejoin requests the wait URL again)
     * or waiting for the queue; not once bridged out of it, nor while recording or answering.
     */
    private static boolean rejoins(Awaiting a) {
      if (a instanceof Awaiting.Delegated d) {
        return d.delegate() == ScriptState.Delegate.QUEUE
            || d.delegate() == ScriptState.Delegate.QUEUE_REFRESH;
      }
      return !(a instanceof Awaiting.Recording || a instanceof Awaiting.Answer
          || a instanceof Awaiting.Begin || a instanceof Awaiting.Finished);
    }

    /** A prompt a restart plays again from its start. */
    private static boolean prompt(Class<?> a) {
      return a == Awaiting.Media.class || silent(a);
    }

    /** A prompt that plays nothing a restart would have to stop. */
    private static boolean silent(Class<?> a) {
      return a == Awaiting.Pause.class || a == Awaiting.Digits.class;
    }
  }
}
