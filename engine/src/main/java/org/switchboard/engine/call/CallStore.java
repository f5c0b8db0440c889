package org.switchboard.engine.call;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.switchboard.engine.store.DurableStateWriter;
import org.switchboard.engine.store.StoreSettings;

/**
 * Whether this node keeps the durable state of its live calls, from {@code
 * switchboard.store.kind}: {@code memory} (or absent) keeps nothing and a crash loses the calls,
 * as before; {@code h2} and {@code postgres} keep each inbound call's {@link CallCheckpoints} in
 * the durable state store {@code pekko.persistence.state.plugin} (the node maps the store
 * settings onto it). The rows are written by the node's one {@link DurableStateWriter} ({@link
 * #writer}), every {@code switchboard.store.checkpoint-interval}, and read by the plugin.
 */
record CallStore(boolean durable, String pluginId) {
  static final String KIND = "switchboard.store.kind";
  static final String INTERVAL = "switchboard.store.checkpoint-interval";
  private static final String TABLE = "jdbc-durable-state-store.tables.durable_state.";
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
   * The node's writer of call states (one per actor system, opened on first use, closed once the
   * system terminated: what is still queued then is written first).
   */
  static DurableStateWriter writer(ActorSystem<?> system) {
    return Writers.ID.apply(system).writer;
  }

  /** The durable state table's name as the plugin is configured ({@code [schema.]table}). */
  static String table(Config config) {
    String name = config.hasPath(TABLE + "tableName")
        ? config.getString(TABLE + "tableName") : "durable_state";
    String schema = config.hasPath(TABLE + "schemaName")
        ? config.getString(TABLE + "schemaName") : "";
    return schema.isEmpty() ? name : schema + "." + name;
  }

  private static final class Writers implements Extension {
    static final ExtensionId<Writers> ID = new ExtensionId<>() {
      @Override
      public Writers createExtension(ActorSystem<?> system) {
        return new Writers(system);
      }
    };

    final DurableStateWriter writer;

    Writers(ActorSystem<?> system) {
      Config config = system.settings().config();
      Duration interval = config.hasPath(INTERVAL)
          ? config.getDuration(INTERVAL) : Duration.ofMillis(10);
      var serialization = SerializationExtension.get(system.classicSystem());
      this.writer = DurableStateWriter.open(StoreSettings.fromConfig(config), table(config),
          value -> {
            Serializer serializer = serialization.findSerializerFor(value);
            return new DurableStateWriter.Encoded(serializer.toBinary(value),
                serializer.identifier(), Serializers.manifestFor(serializer, value));
          }, interval, Clock.systemUTC());
      system.getWhenTerminated().whenComplete((done, error) -> writer.close());
    }
  }
}
