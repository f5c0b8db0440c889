package org.switchboard.engine.call;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.script.ScriptState;

/**
 * What the store keeps of a live inbound call, written at its verb boundaries ({@link
 * Checkpointing}): enough to resume its script on another node incarnation after a crash. The
 * script state holds the document and position, the redirect counter, the digits of a Gather,
 * the queue membership with its enqueue time and the ids already used.
 *
 * @param statusSequence the SequenceNumber of the call's next status callback
 */
public record CallCheckpoint(
    String callSid,
    ChannelRef channel,
    CallParams params,
    VoiceApplication application,
    Instant startTime,
    Optional<Instant> answeredAt,
    int statusSequence,
    ScriptState script) {

  public CallCheckpoint {
    Objects.requireNonNull(callSid, "callSid");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(answeredAt, "answeredAt");
    Objects.requireNonNull(script, "script");
  }
}
