package org.switchboard.asterisk.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One simulated bridge; only touched while holding the simulator's lock. */
final class SimBridge {
  final String id;
  final String bridgeType;
  final String name;
  final Instant creationTime;
  /** {@link #creationTime} as events show it, formatted once. */
  final String creationText;
  final String ownerApp;
  final List<String> channels = new ArrayList<>();
  boolean mohActive;

  SimBridge(String id, String bridgeType, String name, Instant creationTime, String ownerApp) {
    this.id = id;
    this.bridgeType = bridgeType;
    this.name = name;
    this.creationTime = creationTime;
    this.creationText = AriJson.time(creationTime);
    this.ownerApp = ownerApp;
  }

  String technology() {
    if ("holding".equals(bridgeType)) {
      return "holding_bridge";
    }
    return channels.size() > 2 ? "softmix" : "simple_bridge";
  }
}
