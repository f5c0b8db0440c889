package org.switchboard.asterisk.router;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * Bounds and filters of an {@link EventRouter} ({@code switchboard.asterisk.router} in
 * reference.conf).
 *
 * @param perRoutingIdBuffer events held for one channel or bridge before upstream is
 *     backpressured
 * @param maxInFlight events held in all (per server pipeline) before upstream is backpressured
 * @param dedupMemory how many recent bridge playback/recording events to remember for dedup
 * @param routedVariables {@code ChannelVarset} names delivered to the engine
 * @param routedVariablePrefixes {@code ChannelVarset} name prefixes delivered to the engine
 */
public record RouterSettings(
    int perRoutingIdBuffer,
    int maxInFlight,
    int dedupMemory,
    Set<String> routedVariables,
    Set<String> routedVariablePrefixes) {

  public RouterSettings {
    if (perRoutingIdBuffer < 1 || maxInFlight < 1 || dedupMemory < 1) {
      throw new IllegalArgumentException("router bounds must be at least 1");
    }
    routedVariables = Set.copyOf(routedVariables);
    routedVariablePrefixes = Set.copyOf(routedVariablePrefixes);
  }

  /** Reads {@code per-routing-id-buffer}, {@code max-in-flight}, … from a config section. */
  public static RouterSettings fromConfig(Config section) {
    return new RouterSettings(
        section.getInt("per-routing-id-buffer"),
        section.getInt("max-in-flight"),
        section.getInt("dedup-memory"),
        Set.copyOf(section.getStringList("routed-variables")),
        Set.copyOf(section.getStringList("routed-variable-prefixes")));
  }

  /** The defaults of reference.conf, for tests and tools without a config. */
  public static RouterSettings defaults() {
    return new RouterSettings(64, 4096, 1024, Set.of(), Set.of("SWITCHBOARD_"));
  }

  /** A copy with other bounds. */
  public RouterSettings withBounds(int perRoutingIdBuffer, int maxInFlight) {
    return new RouterSettings(
        perRoutingIdBuffer, maxInFlight, dedupMemory, routedVariables, routedVariablePrefixes);
  }
}
