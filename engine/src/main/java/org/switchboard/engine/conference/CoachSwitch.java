package org.switchboard.engine.conference;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.Done;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;

/**
 * A participant already in the room starts, changes or stops coaching (REST Participant update
 * {@code Coaching}, {@code CallSidToCoach}): its old pair ({@link ConferenceCoach}) is taken apart,
 * its channel leaves the room's bridge and joins it again, muted in the bridge when it coaches
 * (ARI has no call that changes a bridge member's mute), and the new pair starts once it is back.
 */
final class CoachSwitch {
  private CoachSwitch() {}

  /**
   * Moves {@code channel} of {@code callSid} from its pair {@code before} (if any) to coaching
   * {@code coached} (CallSid and channel, if any); answers the new pair.
   */
  static Optional<ConferenceCoach> change(AriPort ari, String serverId, String bridgeId,
      String callSid, ChannelRef channel, Optional<ConferenceCoach> before,
      Optional<String> coachedSid, Optional<ChannelRef> coached, int n,
      BiConsumer<String, CompletionStage<Done>> pipe) {
    before.ifPresent(c -> c.stop(pipe));
    CompletionStage<Done> rejoined = ari.removeFromBridge(serverId, bridgeId, channel.channelId())
        .thenCompose(d -> coached.isPresent()
            ? ari.addToBridgeMuted(serverId, bridgeId, channel.channelId())
            : ari.addToBridge(serverId, bridgeId, List.of(channel.channelId())));
    if (coached.isEmpty() || coachedSid.isEmpty()) {
      pipe.accept("uncoach", rejoined);
      return Optional.empty();
    }
    return Optional.of(ConferenceCoach.start(ari, callSid, channel, coachedSid.get(),
        coached.get(), rejoined, pipe, n));
  }
}
