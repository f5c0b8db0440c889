package org.switchboard.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one node's configuration consistent: the account SID, auth token, bridge secret and
 * public URL are set once at the top of {@code switchboard}; this settles their values for the
 * run (empty secrets get a random value, logged once, so a node never signs with an empty key;
 * the public URL is the bound address unless configured) and resolves {@code
 * switchboard-derived.conf} over them, which names every key of the other blocks (webhooks, REST
 * API, audio, calls) that holds one of them.
 */
public final class NodeConfig {
  private static final Logger log = LoggerFactory.getLogger(NodeConfig.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The keys that hold a node-wide value, as substitutions still to resolve. */
  private static final Config DERIVED =
      ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "switchboard-derived.conf");

  private NodeConfig() {}

  /**
   * The effective configuration for a node reachable at {@code publicUrl} (the bound address when
   * the configured port was 0).
   */
  public static Config effective(Config config, String publicUrl) {
    Map<String, Object> values = new LinkedHashMap<>();
    // Call entities are sharded: whatever order reference.conf files merge in, a node is a cluster.
    values.put("pekko.actor.provider", "cluster");
    values.put("switchboard.auth-token", secret(config, "switchboard.auth-token"));
    values.put("switchboard.bridge-secret", secret(config, "switchboard.bridge-secret"));
    values.put("switchboard.http.public-url", publicUrl);
    // The drain runs in this phase; its timeout must allow the whole drain.
    values.put("pekko.coordinated-shutdown.phases.before-service-unbind.timeout",
        DrainSettings.fromConfig(config).longest().toMillis() + "ms");
    values.put("pekko.coordinated-shutdown.phases.service-stop.timeout", "40s");
    Config overrides = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      overrides = overrides.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return DERIVED.withFallback(overrides).withFallback(config).resolve();
  }

  private static String secret(Config config, String path) {
    String value = config.getString(path);
    if (!value.isBlank()) {
      return value;
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String generated = HexFormat.of().formatHex(bytes);
    log.warn("{} is not set: using a random value for this run: {}", path, generated);
    return generated;
  }
}
