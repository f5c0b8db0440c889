package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.AriPort.RecordRequest;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Start;

/**
 * What the interpreter asks the call actor to do. The actor runs effects in list order and feeds
 * their outcomes back as {@link ScriptInput}s.
 */
public sealed interface CallEffect {

  /** Answer the channel; the outcome comes back as {@link ScriptInput.Answered}. */
  record AnswerCall() implements CallEffect {}

  /**
   * End the call: hang the channel up with {@code reason}; {@code finalStatus} is the Twilio
   * CallStatus of the final status callback ({@code completed}, {@code busy}, {@code no-answer}).
   */
  record HangupCall(HangupReason reason, CallStatus finalStatus) implements CallEffect {}

  /** Resolve {@code media} to ARI media and play it as {@code playbackId}; ends in PlaybackFinished. */
  record PlayMedia(String playbackId, MediaRef media) implements CallEffect {}

  /** Stop a playback (its PlaybackFinished is then ignored). */
  record StopPlayback(String playbackId) implements CallEffect {}

  /**
   * Send DTMF digits on the channel, each {@link #DIGIT_MS} long and {@link #BETWEEN_MS} apart;
   * completion comes back as {@link ScriptInput.DtmfSent} once Asterisk queued them (ARI's {@code
   * POST /channels/{id}/dtmf} answers before the digits are played).
   */
  record SendDtmf(String digits) implements CallEffect {
    /** How long each digit sounds. */
    public static final int DIGIT_MS = 100;
    /** The pause after each digit. */
    public static final int BETWEEN_MS = 100;
  }

  /** Start (or restart) a timer; it comes back as {@link ScriptInput.TimerFired}. */
  record StartTimer(ScriptTimer timer, Duration after) implements CallEffect {}

  /** Cancel a timer; a cancelled timer never fires. */
  record CancelTimer(ScriptTimer timer) implements CallEffect {}

  /**
   * Request a TwiML document. {@code params} are the request-specific parameters; the actor puts
   * the standard call parameters (spec §1.1) first. The answer comes back as {@link
   * ScriptInput.DocumentFetched} or {@link ScriptInput.FetchFailed} with the same {@code fetchId}.
   */
  record FetchTwiml(
      long fetchId,
      URI url,
      Method method,
      List<Map.Entry<String, String>> params,
      FetchPurpose purpose)
      implements CallEffect {
    public FetchTwiml {
      params = List.copyOf(params);
    }
  }

  /**
   * Send an asynchronous callback (recording status). The actor puts {@code AccountSid} and {@code
   * CallSid} first; the response never affects the call.
   */
  record Notify(URI url, Method method, List<Map.Entry<String, String>> params, String purpose)
      implements CallEffect {
    public Notify {
      params = List.copyOf(params);
    }
  }

  /**
   * Transcribe the finished {@code <Record transcribe>} recording {@code recordingSid} ({@code
   * durationSeconds} long, 0 when it holds nothing) and POST the outcome to {@code callback}
   * (the {@code transcribeCallback}, if any) with {@code recordingUrl}. Whatever the call does
   * next: the transcription outlives it, and ends in a {@code completed} or {@code failed}
   * callback.
   */
  record Transcribe(
      String recordingSid, int durationSeconds, String recordingUrl, Optional<URI> callback)
      implements CallEffect {}

  /** Start recording the channel; the name is the RecordingSid. */
  record StartRecording(String recordingSid, RecordRequest request) implements CallEffect {}

  /**
   * Start listening to the caller for the speech of {@code gather}: talk detection on the channel
   * and the caller's audio captured until {@link EndSpeech} or {@link StopSpeech}.
   */
  record StartSpeech(Gather gather) implements CallEffect {}

  /**
   * The caller finished speaking: recognise what was captured; the answer comes back as {@link
   * ScriptInput.SpeechRecognized}.
   */
  record EndSpeech() implements CallEffect {}

  /** Stop listening (result taken, DTMF won, timeout, redirect): release what listening holds. */
  record StopSpeech() implements CallEffect {}

  /** Stop (and keep) a live recording. */
  record StopRecording(String recordingSid) implements CallEffect {}

  /**
   * Hand a {@code <Dial>} to the dial machinery; it ends with {@link ScriptInput.DialEnded}.
   * {@code callerAnswered} is false for {@code answerOnBridge}.
   */
  record StartDial(Dial dial, boolean callerAnswered) implements CallEffect {}

  /** Put the caller in the named queue; updates come back as Queued / Dequeued / QueueExited. */
  record JoinQueue(Enqueue enqueue) implements CallEffect {}

  /**
   * The wait document ran out: ask the queue for the caller's current waitUrl parameters; they
   * come back as {@link ScriptInput.Queued}, and only then is the waitUrl requested again.
   */
  record RefreshQueue() implements CallEffect {}

  /** Take the caller out of its queue ({@code leave}, {@code redirected}, {@code error}…). */
  record LeaveQueue(String reason) implements CallEffect {}

  /** Start the default hold music (Enqueue without waitUrl). */
  record StartHoldMusic() implements CallEffect {}

  /** Stop the hold music. */
  record StopHoldMusic() implements CallEffect {}

  /**
   * {@code <Refer>}: ask Asterisk to transfer the call's channel to {@code endpoint} ({@code
   * PJSIP/<sip uri>}); Asterisk's answer comes back as {@link ScriptInput.ReferAccepted} or
   * {@link ScriptInput.ReferRefused}.
   */
  record SendRefer(String endpoint) implements CallEffect {}

  /** {@code <Connect><Stream>}: ends with {@link ScriptInput.ConnectEnded}. */
  record StartConnect(Connect connect) implements CallEffect {}

  /** {@code <Start><Stream>}: a fork that runs beside the script. */
  record StartStream(Start start) implements CallEffect {}

  /** {@code <Stop><Stream name>}. */
  record StopStream(String name) implements CallEffect {}

  /** {@code <Echo>}: the caller hears itself until {@link CancelDelegate}. */
  record StartEcho() implements CallEffect {}

  /** Stop the running Dial, Connect or Echo delegate (REST redirect, end of the echo). */
  record CancelDelegate(String reason) implements CallEffect {}

  /** Something the call's log should show (ignored TwiML, unsupported input, errors). */
  record LogWarning(String message) implements CallEffect {}

  /** Convenience for building request parameters in order. */
  static Map.Entry<String, String> param(String name, String value) {
    return Map.entry(name, value);
  }

  /**
   * After a restart: the caller goes back into the {@code <Enqueue>}'s queue at the place its
   * first join ({@code enqueuedAt}) gave it.
   */
  record RejoinQueue(Enqueue enqueue, java.time.Instant enqueuedAt) implements CallEffect {}

  /**
   * After a restart, take back the {@code <Dial>} that was ringing or bridged (its durable ring and
   * bridge state); ends with DialFinished as {@link StartDial} does, {@code failed} when the store
   * has no state for it.
   */
  record ResumeDial(Dial dial, boolean callerAnswered) implements CallEffect {}
}
