package org.switchboard.engine.call;

import java.time.Instant;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * What a call reports of itself, kept for its {@link ScriptRunner}: when it started, was answered
 * and ended, whether it is over, the {@code CallStatus} its requests carry now and at its end, and
 * the hangup its script asked for. The runner records what happens (the answer, the script's
 * hangup, an end from outside, a failure's last resort, the release); status callbacks, snapshots
 * and the teardown read it. State of one actor: not thread-safe.
 */
final class CallReport {
  private final Instant startTime;
  private Optional<Instant> answeredAt;
  /** Whether the call is over: the script hung up, or the call ended. */
  private boolean over;
  /** The script ended on a {@code <Gather>} timeout (a whisper that then rejects the call). */
  private boolean overOnGatherTimeout;
  private CallStatus finalStatus = CallStatus.COMPLETED;
  private HangupReason hangupReason = HangupReason.NORMAL;
  private Optional<Instant> endTime = Optional.empty();

  CallReport(Instant startTime, Optional<Instant> answeredAt) {
    this.startTime = startTime;
    this.answeredAt = answeredAt;
  }

  /** The call is answered at {@code now}; false (and nothing changes) if it was already. */
  boolean answer(Instant now) {
    if (answeredAt.isPresent()) {
      return false;
    }
    answeredAt = Optional.of(now);
    return true;
  }

  /** The script hung up; {@code onGatherTimeout} when a {@code <Gather>} timing out ended it. */
  void scriptHungUp(CallEffect.HangupCall hangup, boolean onGatherTimeout) {
    hangupReason = hangup.reason();
    finalStatus = hangup.finalStatus();
    over = true;
    overOnGatherTimeout = onGatherTimeout;
  }

  /** The call ends from outside its script with {@code status} (the script may set another). */
  void endsWith(CallStatus status) {
    finalStatus = status;
  }

  /** Ends the call with {@code status} and {@code reason}, the script aside (a last resort). */
  void forceEnd(CallStatus status, HangupReason reason) {
    finalStatus = status;
    hangupReason = reason;
  }

  /** The call is over at {@code now}. */
  void released(Instant now) {
    over = true;
    endTime = Optional.of(now);
  }

  /** CallStatus for requests made now. */
  CallStatus callStatus() {
    if (over) {
      return finalStatus;
    }
    return answeredAt.isPresent() ? CallStatus.IN_PROGRESS : CallStatus.RINGING;
  }

  /** The call as it is now. */
  CallSnapshot snapshot(String callSid, ChannelRef channel, CallParams params) {
    return new CallSnapshot(callSid, params.parentCallSid(), channel, params.from(), params.to(),
        callStatus().wire(), params.direction(), startTime, answeredAt, endTime,
        params.answeredBy());
  }

  /** Whether the call is over (the script hung up, or the call ended). */
  boolean over() {
    return over;
  }

  /** Whether the call has been released ({@link #released}). */
  boolean released() {
    return endTime.isPresent();
  }

  /** When the call was answered, if it was. */
  Optional<Instant> answeredAt() {
    return answeredAt;
  }

  /** The final status the call reports (the script's, or the one its end set). */
  CallStatus finalStatus() {
    return finalStatus;
  }

  /** The hangup the script asked for ({@code normal} unless its {@code <Reject>} said otherwise). */
  HangupReason hangupReason() {
    return hangupReason;
  }

  /** Whether the script ended because a {@code <Gather>} timed out with nothing after it. */
  boolean endedOnGatherTimeout() {
    return overOnGatherTimeout;
  }
}
