package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegSpec;

/** Builds the {@link CallSnapshot} of an outbound leg. */
final class LegSnapshots {
  private LegSnapshots() {}

  static CallSnapshot of(
      String callSid, LegSpec spec, String status, Instant start, Instant answered, Instant end,
      Optional<String> answeredBy) {
    return new CallSnapshot(
        callSid,
        spec.parentCallSid(),
        new ChannelRef(spec.serverId(), spec.channelId()),
        spec.callerId(),
        spec.target(),
        status,
        spec.direction(),
        start,
        Optional.ofNullable(answered),
        Optional.ofNullable(end),
        answeredBy);
  }
}
