package org.switchboard.engine.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code switchboard.store}: where the node keeps what outlives a call (ended calls, the
 * recordings index) and, for the durable call entities, their journal.
 *
 * @param kind {@code memory} (nothing survives a restart), {@code h2} (an embedded file database,
 *     the default) or {@code postgres} (the store of a cluster)
 * @param url the JDBC URL ({@code jdbc:h2:…} for h2, {@code jdbc:postgresql:…} for postgres;
 *     unused for memory)
 * @param poolSize JDBC connections the store may open (reads; writes take one more)
 * @param retention how long ended calls and recordings' metadata are kept
 */
public record StoreSettings(
    Kind kind, String url, String user, String password, int poolSize, Duration retention) {

  /** What keeps the records. */
  public enum Kind {
    MEMORY("memory", ""),
    H2("h2", "jdbc:h2:"),
    POSTGRES("postgres", "jdbc:postgresql:");

    private final String wire;
    private final String urlPrefix;

    Kind(String wire, String urlPrefix) {
      this.wire = wire;
      this.urlPrefix = urlPrefix;
    }

    /** The spelling in {@code switchboard.store.kind}. */
    public String wire() {
      return wire;
    }

    static Kind parse(String value) {
      for (Kind k : values()) {
        if (k.wire.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "switchboard.store.kind must be memory, h2 or postgres, not \"" + value + "\"");
    }
  }

  public StoreSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(retention, "retention");
    if (kind != Kind.MEMORY && !url.startsWith(kind.urlPrefix)) {
      throw new IllegalArgumentException("switchboard.store.url must start with " + kind.urlPrefix
          + " for switchboard.store.kind = " + kind.wire + ", not \"" + url + "\"");
    }
    if (poolSize < 1 || poolSize > 256) {
      throw new IllegalArgumentException(
          "switchboard.store.pool-size must be between 1 and 256, not " + poolSize);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException(
          "switchboard.store.retention must be positive, not " + retention);
    }
  }

  /** The in-memory store (tests, and a node that keeps nothing across restarts). */
  public static StoreSettings memory() {
    return new StoreSettings(Kind.MEMORY, "", "", "", 1, Duration.ofDays(30));
  }

  /** Reads {@code switchboard.store}; a missing or malformed key is an {@link IllegalArgumentException}. */
  public static StoreSettings fromConfig(Config config) {
    try {
      Config c = config.getConfig("switchboard.store");
      return new StoreSettings(Kind.parse(c.getString("kind")), c.getString("url"),
          c.getString("user"), c.getString("password"), c.getInt("pool-size"),
          c.getDuration("retention"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("switchboard.store: " + e.getMessage(), e);
    }
  }

  /**
   * The URL every pool of the node opens (the history store's and the durable call state's): for
   * H2, {@code url} with {@code WRITE_DELAY=0} (a killed process loses no committed write) and
   * {@code DATABASE_TO_UPPER=false} (pekko-persistence-jdbc's durable-state SQL names its table
   * unquoted, its H2 script quoted lowercase) unless the URL sets them. One embedded H2 database
   * is opened by several pools of one JVM only when they give the same settings.
   */
  public String jdbcUrl() {
    if (kind != Kind.H2) {
      return url;
    }
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    String effective = url;
    if (!upper.contains("WRITE_DELAY")) {
      effective += ";WRITE_DELAY=0";
    }
    if (!upper.contains("DATABASE_TO_UPPER")) {
      effective += ";DATABASE_TO_UPPER=false";
    }
    return effective;
  }

  /**
   * How often expired records are purged: a tenth of the retention, between one second and an
   * hour.
   */
  public Duration purgeInterval() {
    Duration tenth = retention.dividedBy(10);
    if (tenth.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
  }

  @Override
  public String toString() {
    return "StoreSettings[kind=" + kind.wire + ", url=" + url + ", user=" + user
        + ", poolSize=" + poolSize + ", retention=" + retention + "]";
  }
}
