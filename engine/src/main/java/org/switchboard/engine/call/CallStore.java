package org.switchboard.engine.call;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Whether this node keeps the durable state of its live calls, from {@code
 * switchboard.store.kind}: {@code memory} (or absent) keeps nothing and a crash loses the calls,
 * as before; {@code h2} and {@code postgres} keep each inbound call's {@link CallCheckpoints} in
 * the durable state store {@code pekko.persistence.state.plugin} (the node maps the store
 * settings onto it). The rows are written by the node's one {@link CheckpointWriter} ({@link
 * #writer}, registered by the node) and read by the plugin.
 */
record CallStore(boolean durable, String pluginId) {
  static final String KIND = "switchboard.store.kind";
  private static final String CHILD = "checkpoints";

  /** The store this actor system is configured with. */
  static CallStore of(Config config) {
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
  @SuppressWarnings("unchecked")
  <T> Optional<ActorRef<CallCheckpoints.Command>> open(ActorContext<T> ctx, String callSid) {
    if (!durable) {
      return Optional.empty();
    }
    Optional<ActorRef<Void>> existing = ctx.getChild(CHILD);
    if (existing.isPresent()) {
      return Optional.of((ActorRef<CallCheckpoints.Command>) (ActorRef<?>) existing.get());
    }
    return Optional.of(ctx.spawn(CallCheckpoints.create(callSid, pluginId), CHILD));
  }

  /**
   * The node's writer of call states, registered by the node ({@link CallCheckpoints#useWriter})
   * before any call starts.
   */
  static CheckpointWriter writer(ActorSystem<?> system) {
    CheckpointWriter w = Writers.ID.apply(system).writer;
    if (w == null) {
      throw new IllegalStateException("a durable store without a checkpoint writer: the node"
          + " registers one (CallCheckpoints.useWriter) before calls start");
    }
    return w;
  }

  /** Registers the writer of {@code system}'s call states. */
  static void use(ActorSystem<?> system, CheckpointWriter writer) {
    Writers.ID.apply(system).writer = writer;
  }

  private static final class Writers implements Extension {
    static final ExtensionId<Writers> ID = new ExtensionId<>() {
      @Override
      public Writers createExtension(ActorSystem<?> system) {
        return new Writers();
      }
    };

    volatile CheckpointWriter writer;
  }
}
