package org.switchboard.asterisk.ari;

import java.time.Instant;
import java.util.List;

/** ARI {@code Bridge}: a mixing or holding bridge and the ids of the channels in it. */
public record Bridge(
    String id,
    String technology,
    String bridgeType,
    String bridgeClass,
    String creator,
    String name,
    List<String> channels,
    String videoMode,
    String videoSourceId,
    Instant creationtime) {

  public Bridge {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }
}
