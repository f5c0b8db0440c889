package org.switchboard.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.switchboard.engine.call.CallCheckpoints;
import org.switchboard.engine.store.DurableStateWriter;
import org.slf4j.Logger;
import org.switchboard.engine.store.StoreSettings;
import org.slf4j.LoggerFactory;

/**
 * The node's store of live calls ({@code switchboard.store}): {@code memory} keeps nothing (a
 * crash loses the calls; the benchmarks' baseline), {@code h2} (the default, one node, an embedded
 * file database under {@code var/}) or {@code postgres} (the store a cluster shares) keep each
 * live call's durable state through pekko-persistence-jdbc. {@link #effective} maps the store
 * settings onto the plugin's durable state store; {@link #prepare} creates the plugin's own
 * schema (its DDL script for the database, {@code CREATE … IF NOT EXISTS}) at start.
 */
final class NodeStore {
  private static final Logger log = LoggerFactory.getLogger(NodeStore.class);
  /** The durable state store plugin the engine's call checkpoints use. */
  static final String PLUGIN = "jdbc-durable-state-store";
  /** The plugin's settings of its durable state table. */
  private static final String TABLE = PLUGIN + ".tables.durable_state.";
  /** How often live calls' queued checkpoints are written. */
  private static final String INTERVAL = "switchboard.store.checkpoint-interval";
  /** The plugin's key whose database the schema script runs on (the same database). */
  private static final String SCHEMA_KEY = "jdbc-journal";

  private NodeStore() {}

  /**
   * {@code config} with the durable state store set up for {@code switchboard.store} (unchanged in
   * memory mode), on the same URL as the history store ({@link StoreSettings#jdbcUrl}).
   */
  static Config effective(Config config) {
    StoreSettings settings = StoreSettings.fromConfig(config);
    if (settings.kind() == StoreSettings.Kind.MEMORY) {
      return config;
    }
    boolean h2 = settings.kind() == StoreSettings.Kind.H2;
    String url = settings.jdbcUrl();
    int pool = settings.poolSize();
    Config slick = ConfigFactory.empty()
        .withValue("profile", ConfigValueFactory.fromAnyRef(
            h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$"))
        .withValue("db.url", ConfigValueFactory.fromAnyRef(url))
        .withValue("db.user", ConfigValueFactory.fromAnyRef(settings.user()))
        .withValue("db.password", ConfigValueFactory.fromAnyRef(settings.password()))
        .withValue("db.driver", ConfigValueFactory.fromAnyRef(
            h2 ? "org.h2.Driver" : "org.postgresql.Driver"))
        .withValue("db.numThreads", ConfigValueFactory.fromAnyRef(pool))
        .withValue("db.maxConnections", ConfigValueFactory.fromAnyRef(pool))
        .withValue("db.minConnections", ConfigValueFactory.fromAnyRef(1));
    log.info("store: {} at {} (pool of {})", settings.kind().wire(), url, pool);
    return ConfigFactory.empty()
        .withValue("pekko.persistence.state.plugin", ConfigValueFactory.fromAnyRef(PLUGIN))
        .withValue(PLUGIN + ".slick", slick.root())
        // A stored-calls sweep through the plugin (only when the node's writer cannot list, see
        // StateWriter#tagged) asks the plugin's sequence actor for its offset first; it answers
        // after its first query of the table, which on a busy node or database takes more than the
        // plugin's default second.
        .withValue(PLUGIN + ".durable-state-sequence-retrieval.ask-timeout",
            ConfigValueFactory.fromAnyRef("10s"))
        .withValue(SCHEMA_KEY + ".slick", slick.root())
        .withFallback(config);
  }

  /**
   * Creates the plugin's tables if they do not exist yet (its own script for the database; each
   * statement that finds its object already there is skipped), before any call reads the store.
   */
  static void prepare(ActorSystem<?> system, StoreSettings settings, Duration timeout)
      throws Exception {
    if (settings.kind() == StoreSettings.Kind.MEMORY) {
      return;
    }
    SchemaUtils.createIfNotExists(SCHEMA_KEY, system).toCompletableFuture()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    log.info("store schema ready");
  }

  /**
   * Starts the node's writer of call checkpoints ({@link DurableStateWriter}: every call's latest
   * checkpoint in one transaction every {@code switchboard.store.checkpoint-interval}, into the
   * plugin's table, serialized as the plugin would) and hands it to the call entities; it writes
   * what is still queued and closes once the actor system terminated. Nothing in memory mode.
   */
  static void startCheckpointWriter(ActorSystem<?> system, StoreSettings settings) {
    if (settings.kind() == StoreSettings.Kind.MEMORY) {
      return;
    }
    Config config = system.settings().config();
    var serialization = SerializationExtension.get(system.classicSystem());
    DurableStateWriter writer = DurableStateWriter.open(settings, table(config), value -> {
      Serializer serializer = serialization.findSerializerFor(value);
      return new DurableStateWriter.Encoded(serializer.toBinary(value), serializer.identifier(),
          Serializers.manifestFor(serializer, value));
    }, stored -> serialization.deserialize(stored.payload(), stored.serializerId(),
        stored.manifest() == null ? "" : stored.manifest()).get(),
        config.getDuration(INTERVAL), java.time.Clock.systemUTC());
    system.getWhenTerminated().whenComplete((done, error) -> writer.close());
    CallCheckpoints.useWriter(system, writer);
  }

  /**
   * What the node's writer of durable states did since it started ({@link
   * DurableStateWriter#traffic()}); empty in memory mode.
   */
  static java.util.Map<String, Long> stateTraffic(ActorSystem<?> system) {
    if (org.switchboard.engine.durable.DurableSlot.pluginId(system).isEmpty()) {
      return java.util.Map.of();
    }
    return org.switchboard.engine.durable.StateWriters.writer(system)
        instanceof DurableStateWriter w ? w.traffic().snapshot() : java.util.Map.of();
  }

  /** The durable state table's name as the plugin is configured ({@code [schema.]table}). */
  static String table(Config config) {
    String name = config.hasPath(TABLE + "tableName")
        ? config.getString(TABLE + "tableName") : "durable_state";
    String schema = config.hasPath(TABLE + "schemaName")
        ? config.getString(TABLE + "schemaName") : "";
    return schema.isEmpty() ? name : schema + "." + name;
  }
}
