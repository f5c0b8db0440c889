package org.switchboard.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
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
  static final String KIND = "switchboard.store.kind";
  /** The durable state store plugin the engine's call checkpoints use. */
  static final String PLUGIN = "jdbc-durable-state-store";
  /** The plugin's key whose database the schema script runs on (the same database). */
  private static final String SCHEMA_KEY = "jdbc-journal";

  private NodeStore() {}

  /** The store kind, checked: memory, h2 or postgres. */
  static String kind(Config config) {
    String kind = config.hasPath(KIND) ? config.getString(KIND).toLowerCase(Locale.ROOT) : "memory";
    if (!kind.equals("memory") && !kind.equals("h2") && !kind.equals("postgres")) {
      throw new IllegalArgumentException(
          KIND + " must be memory, h2 or postgres, not \"" + kind + "\"");
    }
    return kind;
  }

  /**
   * {@code config} with the durable state store set up for {@code switchboard.store} (unchanged in
   * memory mode). An H2 URL gets {@code WRITE_DELAY=0} unless it sets one, so a killed process
   * loses no committed checkpoint, and {@code DATABASE_TO_UPPER=false}, which the plugin's SQL
   * for H2 needs.
   */
  static Config effective(Config config) {
    String kind = kind(config);
    if (kind.equals("memory")) {
      return config.withValue(KIND, ConfigValueFactory.fromAnyRef(kind));
    }
    Config store = config.getConfig("switchboard.store");
    boolean h2 = kind.equals("h2");
    String url = store.getString("url");
    if (h2 && !url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) {
      url = url + ";WRITE_DELAY=0";
    }
    if (h2 && !url.toUpperCase(Locale.ROOT).contains("DATABASE_TO_UPPER")) {
      // The plugin's durable-state SQL names its table unquoted, its H2 script quoted lowercase.
      url = url + ";DATABASE_TO_UPPER=false";
    }
    int pool = store.getInt("pool-size");
    Config slick = ConfigFactory.empty()
        .withValue("profile", ConfigValueFactory.fromAnyRef(
            h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$"))
        .withValue("db.url", ConfigValueFactory.fromAnyRef(url))
        .withValue("db.user", ConfigValueFactory.fromAnyRef(store.getString("user")))
        .withValue("db.password", ConfigValueFactory.fromAnyRef(store.getString("password")))
        .withValue("db.driver", ConfigValueFactory.fromAnyRef(
            h2 ? "org.h2.Driver" : "org.postgresql.Driver"))
        .withValue("db.numThreads", ConfigValueFactory.fromAnyRef(pool))
        .withValue("db.maxConnections", ConfigValueFactory.fromAnyRef(pool))
        .withValue("db.minConnections", ConfigValueFactory.fromAnyRef(1));
    log.info("store: {} at {} (pool of {})", kind, url, pool);
    return ConfigFactory.empty()
        .withValue(KIND, ConfigValueFactory.fromAnyRef(kind))
        .withValue("pekko.persistence.state.plugin", ConfigValueFactory.fromAnyRef(PLUGIN))
        .withValue(PLUGIN + ".slick", slick.root())
        .withValue(SCHEMA_KEY + ".slick", slick.root())
        .withFallback(config);
  }

  /**
   * Creates the plugin's tables if they do not exist yet (its own script for the database; each
   * statement that finds its object already there is skipped), before any call reads the store.
   */
  static void prepare(ActorSystem<?> system, Config config, Duration timeout) throws Exception {
    if (kind(config).equals("memory")) {
      return;
    }
    SchemaUtils.createIfNotExists(SCHEMA_KEY, system).toCompletableFuture()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    log.info("store schema ready");
  }
}
