package org.switchboard.http.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Llamenos bridge's environment variables, each read under its own name and mapped onto
 * Switchboard's configuration — the one place that knows the mapping. Each variable yields to the
 * {@code SWITCHBOARD_*} variable of the same setting (see {@link #MAPPINGS}); {@link
 * SwitchboardConfig} places the result under the configuration file and system properties.
 *
 * <p>"Bridge mode" is on when {@code ARI_URL}, {@code ARI_REST_URL} or {@code WORKER_WEBHOOK_URL}
 * is set: the bridge's defaults then apply to what the {@code .env} leaves out ({@code
 * BRIDGE_PORT} 3000, {@code BRIDGE_BIND} 127.0.0.1, {@code STASIS_APP} llamenos) and webhooks
 * carry {@code X-Bridge-Signature} besides {@code X-Twilio-Signature}.
 */
public final class BridgeEnvironment {

  /**
   * One bridge variable and where it goes.
   *
   * @param variable the bridge's name
   * @param path the configuration path it sets
   * @param yieldsTo the {@code SWITCHBOARD_*} variable that wins over it, if any
   * @param bridgeDefault the value in bridge mode when the variable is not set
   * @param convert from the variable's text to the configuration value
   */
  record Mapping(String variable, String path, Optional<String> yieldsTo,
      Optional<String> bridgeDefault, Function<String, Object> convert) {}

  /** Every mapping, in the order of the bridge's README and then its optional variables. */
  static final List<Mapping> MAPPINGS = List.of(
      map("ARI_REST_URL", "switchboard.ari.url", "SWITCHBOARD_ARI_URL", null,
          BridgeEnvironment::restBase),
      // Only when ARI_REST_URL is absent (see overlay): the REST base derived from the events URL.
      map("ARI_URL", "switchboard.ari.url", "SWITCHBOARD_ARI_URL", null,
          BridgeEnvironment::restBaseFromEvents),
      map("ARI_USERNAME", "switchboard.ari.user", "SWITCHBOARD_ARI_USER", null, s -> s),
      map("ARI_PASSWORD", "switchboard.ari.password", "SWITCHBOARD_ARI_PASSWORD", null, s -> s),
      map("WORKER_WEBHOOK_URL", "switchboard.llamenos.worker-url", null, null, String::strip),
      map("BRIDGE_SECRET", "switchboard.bridge-secret", "SWITCHBOARD_BRIDGE_SECRET", null, s -> s),
      // The Worker in Twilio mode checks X-Twilio-Signature with the token it is given: one secret.
      map("BRIDGE_SECRET", "switchboard.auth-token", "SWITCHBOARD_AUTH_TOKEN", null, s -> s),
      map("BRIDGE_PORT", "switchboard.http.port", "SWITCHBOARD_HTTP_PORT", "3000",
          BridgeEnvironment::port),
      map("STASIS_APP", "switchboard.ari.app", "SWITCHBOARD_ARI_APP", "llamenos", String::strip),
      map("HOTLINE_NUMBER", "switchboard.llamenos.hotline-number", null, null, String::strip),
      map("BRIDGE_BIND", "switchboard.http.host", "SWITCHBOARD_HTTP_HOST", "127.0.0.1",
          String::strip),
      map("ARI_CONNECTION_TIMEOUT_MS", "switchboard.ari.connection-timeout",
          "SWITCHBOARD_ARI_CONNECTION_TIMEOUT", null, BridgeEnvironment::millis),
      map("SIP_PROVIDER", "switchboard.llamenos.sip.provider", null, null, String::strip),
      map("SIP_USERNAME", "switchboard.llamenos.sip.username", null, null, String::strip),
      map("SIP_PASSWORD", "switchboard.llamenos.sip.password", null, null, s -> s));

  /** Variables whose presence turns bridge mode on. */
  static final List<String> MODE_VARIABLES = List.of("ARI_URL", "ARI_REST_URL", "WORKER_WEBHOOK_URL");

  private BridgeEnvironment() {}

  /** Whether {@code env} holds a bridge configuration. */
  public static boolean bridgeMode(Function<String, String> env) {
    return MODE_VARIABLES.stream().anyMatch(v -> isSet(env.apply(v)));
  }

  /**
   * The settings the bridge variables of {@code env} give: each set variable (or, in bridge mode,
   * its bridge default) whose {@code SWITCHBOARD_*} counterpart is not set.
   *
   * @throws IllegalArgumentException naming the variable whose value cannot be used
   */
  public static Config overlay(Function<String, String> env) {
    boolean bridgeMode = bridgeMode(env);
    Map<String, Object> values = new LinkedHashMap<>();
    for (Mapping m : MAPPINGS) {
      if (m.yieldsTo().map(v -> isSet(env.apply(v))).orElse(false)
          || values.containsKey(m.path())) {
        continue;
      }
      String raw = env.apply(m.variable());
      if (!isSet(raw)) {
        if (!bridgeMode || m.bridgeDefault().isEmpty()) {
          continue;
        }
        raw = m.bridgeDefault().get();
      }
      try {
        values.put(m.path(), m.convert().apply(raw));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(m.variable() + "=" + raw + ": " + e.getMessage(), e);
      }
    }
    if (bridgeMode && isSet(env.apply("WORKER_WEBHOOK_URL"))
        && !isSet(env.apply("SWITCHBOARD_SIGNATURE_MODE"))) {
      values.put("switchboard.webhooks.signature-mode", "twilio+bridge");
    }
    Config overlay = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      overlay = overlay.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return overlay;
  }

  /** The bridge variables {@code env} sets, for the start-up log (secrets masked). */
  public static List<String> describe(Function<String, String> env) {
    List<String> out = new ArrayList<>();
    for (String variable : MAPPINGS.stream().map(Mapping::variable).distinct().toList()) {
      String value = env.apply(variable);
      if (isSet(value)) {
        boolean secret = variable.contains("PASSWORD") || variable.contains("SECRET");
        out.add(variable + "=" + (secret ? "***" : value.strip()));
      }
    }
    return out;
  }

  private static Mapping map(String variable, String path, String yieldsTo, String bridgeDefault,
      Function<String, Object> convert) {
    return new Mapping(variable, path, Optional.ofNullable(yieldsTo),
        Optional.ofNullable(bridgeDefault), convert);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /** {@code ARI_REST_URL} ({@code http://host:8088/ari}) without a trailing slash. */
  static String restBase(String url) {
    String base = url.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new IllegalArgumentException("must start with http:// or https://");
    }
    return base;
  }

  /**
   * The REST base of an ARI events URL: {@code ws://host:8088/ari/events} → {@code
   * http://host:8088/ari}, {@code wss://…} → {@code https://…} (Switchboard derives the events
   * socket back from it, with the same TLS choice).
   */
  static String restBaseFromEvents(String url) {
    String u = url.strip();
    int query = u.indexOf('?');
    if (query >= 0) {
      u = u.substring(0, query);
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.startsWith("ws://")) {
      u = "http://" + u.substring(5);
    } else if (u.startsWith("wss://")) {
      u = "https://" + u.substring(6);
    } else if (!u.startsWith("http://") && !u.startsWith("https://")) {
      throw new IllegalArgumentException("must start with ws://, wss://, http:// or https://");
    }
    if (u.endsWith("/events")) {
      u = u.substring(0, u.length() - "/events".length());
    }
    return u;
  }

  private static Object port(String value) {
    int port = Integer.parseInt(value.strip());
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a TCP port");
    }
    return port;
  }

  private static Object millis(String value) {
    long ms = Long.parseLong(value.strip());
    if (ms < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    return ms + "ms";
  }
}
