package org.switchboard.engine.call;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.StateWriters;

/**
 * Whether this node keeps the durable state of its live calls, from {@code
 * switchboard.store.kind}: {@code memory} (or absent) keeps nothing and a crash loses the calls,
 * as before; {@code h2} and {@code postgres} keep each inbound call's {@link CallCheckpoints} in
 * the durable state store {@code pekko.persistence.state.plugin} (the node maps the store
 * settings onto it). The rows are written by the node's one {@link CheckpointWriter} (registered
 * by the node, {@link #use}) and read by the plugin.
 */
record CallStore(boolean durable, String pluginId) {
  private static final Logger LOG = LoggerFactory.getLogger(CallStore.class);
  static final String KIND = "switchboard.store.kind";

  /** The last configuration read and its store: every entity of a node asks with the same one. */
  private static volatile Object[] last = {null, null};

  /**
   * The store this actor system is configured with. Each call entity asks when it starts (a
   * few per call); reading the configuration parses each path again, so the answer for the
   * configuration object asked last is kept.
   */
  static CallStore of(Config config) {
    Object[] seen = last;
    if (seen[0] == config) {
      return (CallStore) seen[1];
    }
    CallStore store = read(config);
    last = new Object[] {config, store};
    return store;
  }

  private static CallStore read(Config config) {
    String kind = config.hasPath(KIND) ? config.getString(KIND) : "memory";
    boolean durable = !kind.equals("memory");
    String plugin = durable && config.hasPath("pekko.persistence.state.plugin")
        ? config.getString("pekko.persistence.state.plugin") : "";
    return new CallStore(durable, plugin);
  }

  /**
   * The checkpoints of the call {@code callSid} of {@code system} (its owner keeps the one object
   * it opened: a row it read must be deleted by the same); none in memory mode.
   */
  Optional<CallCheckpoints> open(ActorSystem<?> system, String callSid) {
    return durable ? opened(callSid, () -> CallCheckpoints.of(callSid, pluginId, system))
        : Optional.empty();
  }

  /** The checkpoints of the TwiML the answered leg {@code callSid} runs; none in memory mode. */
  Optional<CallCheckpoints> openLeg(ActorSystem<?> system, String callSid) {
    return durable ? opened(callSid, () -> CallCheckpoints.forLeg(callSid, pluginId, system))
        : Optional.empty();
  }

  /**
   * The checkpoints {@code open} makes; a node whose durable store has no writer (a wiring error,
   * {@link StateWriters#writer}) logs it and runs the call without them rather than losing it.
   */
  private static Optional<CallCheckpoints> opened(String callSid,
      java.util.function.Supplier<CallCheckpoints> open) {
    try {
      return Optional.of(open.get());
    } catch (IllegalStateException e) {
      LOG.error("call {}: its checkpoints cannot be kept: {}", callSid, e.getMessage());
      return Optional.empty();
    }
  }

  /** Registers the writer of {@code system}'s call states (and of its other durable states). */
  static void use(ActorSystem<?> system, CheckpointWriter writer) {
    StateWriters.use(system, writer);
  }
}
