package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.DialCallStatus;
import org.switchboard.engine.twiml.verb.QueueResult;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.Method;

/** What happens to a call, in the interpreter's terms. Time arrives inside inputs. */
public sealed interface ScriptInput {

  /**
   * The call starts: request {@code voice}; on an application error try {@code fallback} once.
   */
  record Begin(Webhook voice, Optional<Webhook> fallback) implements ScriptInput {}

  /**
   * The call starts with an inline document ({@code Twiml} of a REST-originated call); relative
   * URLs resolve against {@code base}; on an application error try {@code fallback} once.
   */
  record BeginInline(String twiml, URI base, Optional<Webhook> fallback) implements ScriptInput {}

  /** The channel is answered. */
  record Answered() implements ScriptInput {}

  /** The application answered a {@link CallEffect.FetchTwiml} (any HTTP status). */
  record DocumentFetched(long fetchId, URI finalUrl, int status, String contentType, byte[] body)
      implements ScriptInput {}

  /**
   * No response could be had for a {@link CallEffect.FetchTwiml}; {@code errorCode} is Twilio's
   * (11200 retrieval failure, 11205 connection failure) and goes to the fallback URL.
   */
  record FetchFailed(long fetchId, String reason, int errorCode) implements ScriptInput {
    /** A retrieval failure (11200). */
    public FetchFailed(long fetchId, String reason) {
      this(fetchId, reason, 11200);
    }
  }

  /** A playback ended (done, stopped or failed). */
  record PlaybackFinished(String playbackId, boolean failed) implements ScriptInput {}

  /** A {@link CallEffect.SendDtmf} completed. */
  record DtmfSent() implements ScriptInput {}

  /** The caller pressed a key. */
  record Digit(String digit) implements ScriptInput {}

  /** A timer fired. */
  record TimerFired(ScriptTimer timer) implements ScriptInput {}

  /**
   * Talk detection ({@code TALK_DETECT}) on the call's channel: the caller started ({@code true})
   * or stopped talking.
   */
  record Talking(boolean talking) implements ScriptInput {}

  /**
   * The recogniser's answer for the speech of a {@code <Gather>}: {@code text} is empty when
   * nothing was recognised (no speech, garbage, no recogniser or an engine failure, logged where
   * it happened); {@code confidence} 0.0–1.0, negative when the engine gives none ({@code
   * Confidence} is then omitted).
   */
  record SpeechRecognized(String text, double confidence) implements ScriptInput {}

  /** A recording started. */
  record RecordingStarted(String name, Instant at) implements ScriptInput {}

  /** A recording ended; duration in whole seconds. */
  record RecordingFinished(String name, int durationSeconds, Instant at) implements ScriptInput {}

  /** A recording failed. */
  record RecordingFailed(String name, String cause, Instant at) implements ScriptInput {}

  /** The call is over (caller hangup, REST hangup, max duration): no more media. */
  record CallEnded(Instant at) implements ScriptInput {}

  /** REST redirect: exactly one of {@code url} and {@code twiml}. */
  record RedirectRequested(Optional<URI> url, Method method, Optional<String> twiml)
      implements ScriptInput {}

  /** A command the call needed failed (not a missing channel); takes the error path. */
  record CommandFailed(String message) implements ScriptInput {}

  /** The {@code <Dial>} is over; {@code params} go to its action (DialCallStatus…). */
  record DialEnded(Map<String, String> params) implements ScriptInput {}

  /**
   * The caller is in its queue; {@code params} are the waitUrl parameters (QueuePosition,
   * QueueSid, QueueTime, AvgQueueTime, CurrentQueueSize, MaxQueueSize). Sent on entry, in answer
   * to {@link CallEffect.RefreshQueue}, and when a dequeue was aborted.
   */
  record Queued(Map<String, String> params) implements ScriptInput {}

  /** A {@code <Dial><Queue>} took the caller: the wait script stops at once. */
  record Dequeued(Map<String, String> params) implements ScriptInput {}

  /** The caller's time in the queue is over with {@code result} (QueueResult). */
  record QueueExited(String result, Map<String, String> params) implements ScriptInput {}

  /** Asterisk accepted a {@code <Refer>}'s redirect: the REFER went to the device. */
  record ReferAccepted() implements ScriptInput {}

  /** Asterisk refused a {@code <Refer>}'s redirect (no REFER was sent): {@code reason}. */
  record ReferRefused(String reason) implements ScriptInput {}

  /** The {@code <Connect><Stream>} WebSocket closed. */
  record ConnectEnded(Map<String, String> params) implements ScriptInput {}

  /**
   * Something inside the call failed (an exception in the call actor, one of its helpers or a
   * port): the application's error path runs (spec §5.3: the fallback URL, else the error prompt,
   * then hangup), as for an application error with code 12400 ("internal failure").
   */
  record Fault(String message) implements ScriptInput {}

  /**
   * The call goes on in a new node incarnation after a restart, from its last checkpoint: the verb
   * it was in starts again ({@code ResumePart}).
   */
  record Resumed() implements ScriptInput {}
}
