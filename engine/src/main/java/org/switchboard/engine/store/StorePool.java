package org.switchboard.engine.store;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;

/** The settings of a connection pool on the database of {@code switchboard.store}. */
final class StorePool {

  private StorePool() {}

  /**
   * A pool named {@code name} of at most {@code size} connections (one kept open) that waits up to
   * {@code connectTimeout} for a connection and does not fail when the database is not up yet at
   * start.
   *
   * @throws IllegalArgumentException for the memory store, which has no database
   */
  static HikariConfig config(StoreSettings settings, String name, int size,
      Duration connectTimeout) {
    if (settings.kind() == StoreSettings.Kind.MEMORY) {
      throw new IllegalArgumentException("the memory store has no database");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName(name);
    config.setConnectionTimeout(connectTimeout.toMillis());
    config.setInitializationFailTimeout(-1);
    return config;
  }
}
