package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.Durable;
import org.switchboard.engine.protocol.LegSpec;

/**
 * The durable state of one {@code <Dial>} of Number, Sip or Client nouns ({@link DialDurability},
 * persistence id {@code Dial|<parent CallSid>}): the legs it rings and since when, and once a leg
 * won and the bridge is up, that leg, the bridge's start and the dial recording's name.
 */
public record DialRecord(
    ParentCall parent, List<LegSpec> legs, Instant ringStartedAt, Optional<Bridged> bridged)
    implements Durable {

  /**
   * The bridge of the winning leg {@code legIndex}: up since {@code bridgedAt}; {@code
   * recordingSid} names the dial recording (when the Dial records), {@code recordingStarted} once
   * Asterisk said it started (its {@code in-progress} callback went out).
   */
  public record Bridged(
      String legCallSid,
      ChannelRef channel,
      int legIndex,
      Instant bridgedAt,
      String recordingSid,
      boolean recordingStarted)
      implements Durable {}

  DialRecord withBridged(Bridged now) {
    return new DialRecord(parent, legs, ringStartedAt, Optional.of(now));
  }
}
