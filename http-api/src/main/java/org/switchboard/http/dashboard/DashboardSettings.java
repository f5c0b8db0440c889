package org.switchboard.http.dashboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;

/**
 * {@code switchboard.dashboard}: whether the dashboard is served, whether loopback clients may
 * open it without credentials (the demo only), how often it is refreshed and how much it shows.
 */
public record DashboardSettings(
    boolean enabled,
    boolean loopbackWithoutCredentials,
    Duration refresh,
    int maxCalls,
    int recentErrors,
    int recentlyEnded) {

  private static final String LOOPBACK_KEY = "switchboard.dashboard.loopback-without-credentials";

  /** Reads {@code switchboard.dashboard} from the root config. */
  public static DashboardSettings fromConfig(Config root) {
    Config d = root.getConfig("switchboard.dashboard");
    return new DashboardSettings(
        d.getBoolean("enabled"),
        d.getBoolean("loopback-without-credentials"),
        d.getDuration("refresh"),
        d.getInt("max-calls"),
        d.getInt("recent-errors"),
        d.getInt("recently-ended"));
  }

  /** {@code config} with the dashboard open to loopback clients without credentials (the demo). */
  public static Config openOnLoopback(Config config) {
    return config.withValue(LOOPBACK_KEY, ConfigValueFactory.fromAnyRef(true));
  }
}
