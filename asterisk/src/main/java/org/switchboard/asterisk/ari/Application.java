package org.switchboard.asterisk.ari;

import java.util.List;

/** ARI {@code Application}: a Stasis app and what it is subscribed to. */
public record Application(
    String name,
    List<String> channelIds,
    List<String> bridgeIds,
    List<String> endpointIds,
    List<String> deviceNames) {

  public Application {
    channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
    bridgeIds = bridgeIds == null ? List.of() : List.copyOf(bridgeIds);
    endpointIds = endpointIds == null ? List.of() : List.copyOf(endpointIds);
    deviceNames = deviceNames == null ? List.of() : List.copyOf(deviceNames);
  }
}
