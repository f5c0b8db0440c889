package org.switchboard.engine.script;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * Where a call's script stands. Immutable; only {@link TwimlInterpreter} makes new ones.
 *
 * @param callSid the call, used to name the resources the script creates
 * @param fallback the application's fallback URL, if any
 * @param answered whether the channel has been answered
 * @param frame the running document and the index of its current verb
 * @param awaiting what the script waits for
 * @param queue set while the caller is in a queue ({@code <Enqueue>}); {@link #frame} is then the
 *     wait-URL document
 * @param documentsWithoutMedia documents loaded in a row without any media or input verb
 * @param counter source of playback and fetch ids
 * @param speechWarned whether the "speech input unsupported" warning was logged
 */
public record ScriptState(
    String callSid,
    Optional<Webhook> fallback,
    boolean answered,
    Optional<Frame> frame,
    Awaiting awaiting,
    Optional<QueueWait> queue,
    int documentsWithoutMedia,
    long counter,
    boolean speechWarned) {

  public ScriptState {
    Objects.requireNonNull(callSid, "callSid");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(awaiting, "awaiting");
    Objects.requireNonNull(queue, "queue");
  }

  /** A call whose script has not begun. */
  public static ScriptState initial(String callSid) {
    return new ScriptState(
        callSid, Optional.empty(), false, Optional.empty(), new Awaiting.Begin(), Optional.empty(),
        0, 0, false);
  }

  /** Whether the script is over (the call hangs up or has hung up). */
  public boolean finished() {
    return awaiting instanceof Awaiting.Finished;
  }

  /** The running document and the index of the verb being run. */
  public record Frame(TwimlDocument document, int pc) {
    /** The verb at {@link #pc}, if the document has one. */
    public Optional<Verb> verb() {
      return pc < document.verbs().size() ? Optional.of(document.verbs().get(pc)) : Optional.empty();
    }

    /** The same document, one verb further. */
    public Frame next() {
      return new Frame(document, pc + 1);
    }
  }

  /** What the script waits for. */
  public sealed interface Awaiting {
    /** The {@link ScriptInput.Begin} input. */
    record Begin() implements Awaiting {}

    /** The answer; then the current verb (or the error prompt) runs. */
    record Answer(boolean thenErrorPrompt) implements Awaiting {}

    /** A document. */
    record Document(Fetch fetch) implements Awaiting {}

    /** A Say/Play playback; {@code remaining} more iterations follow it. */
    record Media(String playbackId, MediaRef media, int remaining) implements Awaiting {}

    /** The PAUSE timer of a top-level {@code <Pause>}. */
    record Pause() implements Awaiting {}

    /** {@code <Play digits>}: the segments still to send ({@code w}/{@code W} are waits). */
    record Digits(java.util.List<String> segments) implements Awaiting {}

    /** A {@code <Gather>}. */
    record Gathering(GatherProgress progress) implements Awaiting {}

    /**
     * A {@code <Gather>} that listens for speech ({@code input="speech"} or {@code "dtmf
     * speech"}).
     *
     * @param heard whether the caller has started talking
     * @param ending whether the end of speech was reached and the recogniser's answer is awaited
     */
    record SpeechGathering(GatherProgress progress, boolean heard, boolean ending)
        implements Awaiting {}

    /** A {@code <Record>}. */
    record Recording(RecordProgress progress) implements Awaiting {}

    /** A delegate (dial, connect, queue) to report back. */
    record Delegated(Delegate delegate) implements Awaiting {}

    /** The error prompt, then hangup. */
    record ErrorPrompt(String playbackId) implements Awaiting {}

    /** Nothing: the script is over. */
    record Finished() implements Awaiting {}
  }

  /** Who a {@link Awaiting.Delegated} script waits for. */
  public enum Delegate {
    DIAL,
    CONNECT,
    /** In a queue with hold music or silence, or waiting for the queue's first update. */
    QUEUE,
    /**
     * In a queue, the wait document ran out: waiting for current waitUrl parameters ({@link
     * CallEffect.RefreshQueue}) before the waitUrl is requested again.
     */
    QUEUE_REFRESH,
    /** Dequeued and bridged: waiting for the queue's final result. */
    QUEUE_BRIDGED,
    /** A {@code <Refer>} sent: waiting for Asterisk to accept or refuse it. */
    REFER,
    /** A {@code <Refer>} Asterisk accepted: waiting for the channel's end (the transfer done). */
    REFER_ACCEPTED,
    /** An {@code <Echo>} runs until its timer ({@link ScriptTimer#ECHO}) or the caller hangs up. */
    ECHO
  }

  /** An outstanding document request, kept to build the fallback request. */
  public record Fetch(
      long fetchId,
      FetchPurpose purpose,
      Webhook target,
      java.util.List<Map.Entry<String, String>> params) {}

  /**
   * A running {@code <Gather>}.
   *
   * @param prompt index of the current nested verb (-1 before the first)
   * @param playbackId the current prompt's playback, if one plays
   * @param loopsLeft further iterations of the current Say/Play
   * @param digits digits so far
   * @param prompting whether nested verbs still run (the timeout runs once they are done)
   */
  public record GatherProgress(
      Gather gather,
      int prompt,
      Optional<String> playbackId,
      int loopsLeft,
      String digits,
      boolean prompting) {}

  /**
   * A running {@code <Record>}.
   *
   * @param recordingSid the recording's name and sid
   * @param startedAt when RecordingStarted came
   * @param key the finishOnKey key that ended it, if any
   * @param stopOnKey whether the script stops the recording on a key (terminateOn=none)
   */
  public record RecordProgress(
      Record record,
      String recordingSid,
      Optional<Instant> startedAt,
      Optional<String> key,
      boolean stopOnKey) {}

  /**
   * A caller in a queue.
   *
   * @param resume the frame holding the {@code <Enqueue>}
   * @param enqueuedAt when the caller joined (QueueTime on leaving)
   * @param waitParams the queue's waitUrl parameters, as of the last wait-URL request
   * @param started whether the wait script (or hold music) has begun
   * @param holdMusic whether hold music plays
   */
  public record QueueWait(
      Enqueue enqueue,
      Frame resume,
      Instant enqueuedAt,
      Map<String, String> waitParams,
      boolean started,
      boolean holdMusic) {

    QueueWait withWaitParams(Map<String, String> value) {
      return new QueueWait(enqueue, resume, enqueuedAt, Map.copyOf(value), true, holdMusic);
    }

    QueueWait withHoldMusic(boolean value) {
      return new QueueWait(enqueue, resume, enqueuedAt, waitParams, started, value);
    }
  }

  ScriptState withAnswered(boolean value) {
    return new ScriptState(callSid, fallback, value, frame, awaiting, queue, documentsWithoutMedia,
        counter, speechWarned);
  }

  ScriptState withFallback(Optional<Webhook> value) {
    return new ScriptState(callSid, value, answered, frame, awaiting, queue, documentsWithoutMedia,
        counter, speechWarned);
  }

  ScriptState withFrame(Optional<Frame> value) {
    return new ScriptState(callSid, fallback, answered, value, awaiting, queue,
        documentsWithoutMedia, counter, speechWarned);
  }

  ScriptState withAwaiting(Awaiting value) {
    return new ScriptState(callSid, fallback, answered, frame, value, queue, documentsWithoutMedia,
        counter, speechWarned);
  }

  ScriptState withQueue(Optional<QueueWait> value) {
    return new ScriptState(callSid, fallback, answered, frame, awaiting, value,
        documentsWithoutMedia, counter, speechWarned);
  }

  ScriptState withDocumentsWithoutMedia(int value) {
    return new ScriptState(callSid, fallback, answered, frame, awaiting, queue, value, counter,
        speechWarned);
  }

  ScriptState withCounter(long value) {
    return new ScriptState(callSid, fallback, answered, frame, awaiting, queue,
        documentsWithoutMedia, value, speechWarned);
  }

  ScriptState withSpeechWarned(boolean value) {
    return new ScriptState(callSid, fallback, answered, frame, awaiting, queue,
        documentsWithoutMedia, counter, value);
  }
}
