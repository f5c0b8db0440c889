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
 * public URL are set once at the top of {@code switchboard} and copied into every block that uses
 * them (webhooks, REST API, audio, calls). Empty secrets get a random value for this run, logged
 * once, so a node never signs with an empty key.
 */
public final class NodeConfig {
  private static final Logger log = LoggerFactory.getLogger(NodeConfig.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeConfig() {}

  /**
   * The effective configuration for a node reachable at {@code publicUrl} (the bound address when
   * the configured port was 0).
   */
  public static Config effective(Config config, String publicUrl) {
    Map<String, Object> values = new LinkedHashMap<>();
    // Call entities are sharded: whatever order reference.conf files merge in, a node is a cluster.
    values.put("pekko.actor.provider", "cluster");
    String accountSid = config.getString("switchboard.account-sid");
    String authToken = secret(config, "switchboard.auth-token");
    String bridgeSecret = secret(config, "switchboard.bridge-secret");
    values.put("switchboard.account-sid", accountSid);
    values.put("switchboard.auth-token", authToken);
    values.put("switchboard.bridge-secret", bridgeSecret);
    values.put("switchboard.http.public-url", publicUrl);
    values.put("switchboard.call.account-sid", accountSid);
    values.put("switchboard.webhooks.account-sid", accountSid);
    values.put("switchboard.webhooks.auth-token", authToken);
    values.put("switchboard.webhooks.bridge-secret", bridgeSecret);
    values.put("switchboard.api.account-sid", accountSid);
    values.put("switchboard.api.auth-token", authToken);
    values.put("switchboard.api.bridge-secret", bridgeSecret);
    values.put("switchboard.api.public-base-url", publicUrl);
    values.put("switchboard.audio.public-base-url", publicUrl);
    // The drain runs in this phase; its timeout must allow the whole drain.
    values.put("pekko.coordinated-shutdown.phases.before-service-unbind.timeout",
        DrainSettings.fromConfig(config).longest().toMillis() + "ms");
    values.put("pekko.coordinated-shutdown.phases.service-stop.timeout", "40s");
    Config overrides = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      overrides = overrides.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return overrides.withFallback(config);
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
