package org.switchboard.engine.call;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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
  static final String KIND = "switchboard.store.kind";
  private static final String CHILD = "checkpoints";
  private static final String LEG_CHILD = "leg-checkpoints";

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
   * The checkpoints of the call {@code callSid} owned by {@code ctx}: its child, started (and
   * recovering from the store) on first use; none in memory mode.
   */
  <T> Optional<ActorRef<CallCheckpoints.Command>> open(ActorContext<T> ctx, String callSid) {
    return child(ctx, CHILD, () -> CallCheckpoints.create(callSid, pluginId));
  }

  /**
   * The checkpoints of the TwiML the answered leg {@code callSid} runs, owned by {@code ctx} (the
   * leg's entity): its child, started on first use; none in memory mode.
   */
  <T> Optional<ActorRef<CallCheckpoints.Command>> openLeg(ActorContext<T> ctx, String callSid) {
    return child(ctx, LEG_CHILD, () -> CallCheckpoints.createForLeg(callSid, pluginId));
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<ActorRef<CallCheckpoints.Command>> child(ActorContext<T> ctx, String name,
      java.util.function.Supplier<org.apache.pekko.actor.typed.Behavior<CallCheckpoints.Command>>
          checkpoints) {
    if (!durable) {
      return Optional.empty();
    }
    Optional<ActorRef<Void>> existing = ctx.getChild(name);
    if (existing.isPresent()) {
      return Optional.of((ActorRef<CallCheckpoints.Command>) (ActorRef<?>) existing.get());
    }
    return Optional.of(ctx.spawn(checkpoints.get(), name));
  }

  /** Registers the writer of {@code system}'s call states (and of its other durable states). */
  static void use(ActorSystem<?> system, CheckpointWriter writer) {
    StateWriters.use(system, writer);
  }
}
