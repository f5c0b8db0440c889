package org.switchboard.asterisk.client;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * One Asterisk server as Switchboard reaches it: its id (unique among the servers, used in every
 * ChannelRef), the ARI base URL ({@code http://127.0.0.1:8088/ari}), the Stasis app name,
 * credentials, whether to subscribe to all events, reconnect backoff with jitter, the REST request
 * timeout, the connection pool size, the WebSocket keep-alive ping interval and how commands
 * travel ({@link RestTransport}: over the event socket when the server can, by default).
 */
public record AriServerConfig(
    String id,
    String baseUrl,
    String app,
    Credentials credentials,
    boolean subscribeAll,
    Duration minBackoff,
    Duration maxBackoff,
    double backoffJitter,
    Duration requestTimeout,
    int maxConnections,
    Duration keepAlive,
    RestTransport restTransport) {

  /** How Switchboard authenticates to ARI. */
  public sealed interface Credentials {}

  /** HTTP basic auth with an ari.conf user. */
  public record Basic(String user, String password) implements Credentials {
    @Override
    public String toString() {
      return "Basic[user=" + user + "]";
    }
  }

  /** The {@code api_key=user:password} query parameter. */
  public record ApiKey(String key) implements Credentials {
    @Override
    public String toString() {
      return "ApiKey[***]";
    }
  }

  public AriServerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(restTransport, "restTransport");
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException("ARI base URL must be http(s): " + baseUrl);
    }
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 < min <= max");
    }
    if (backoffJitter < 0 || backoffJitter > 1) {
      throw new IllegalArgumentException("backoff jitter must be within [0, 1]");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
  }

  /**
   * A server with basic auth and the defaults: no subscribeAll, reconnect backoff 200 ms to 5 s
   * with 20 % jitter (back to 200 ms after every connection that was resynced), 10 s request timeout, 32 connections, a ping every 10 s, commands over the event
   * socket when the server answers there.
   */
  public static AriServerConfig basic(
      String id, String baseUrl, String app, String user, String password) {
    return new AriServerConfig(
        id,
        baseUrl,
        app,
        new Basic(user, password),
        false,
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        0.2,
        Duration.ofSeconds(10),
        32,
        Duration.ofSeconds(10),
        RestTransport.AUTO);
  }

  /**
   * Reads one server from a config object with keys {@code id, base-url, app}, either {@code
   * user + password} or {@code api-key}, and optionally {@code subscribe-all, min-backoff,
   * max-backoff, backoff-jitter, request-timeout, max-connections, keep-alive, rest-transport}.
   */
  public static AriServerConfig fromConfig(Config c) {
    Credentials credentials =
        c.hasPath("api-key")
            ? new ApiKey(c.getString("api-key"))
            : new Basic(c.getString("user"), c.getString("password"));
    AriServerConfig d = basic(c.getString("id"), c.getString("base-url"), c.getString("app"), "", "");
    return new AriServerConfig(
        d.id(),
        d.baseUrl(),
        d.app(),
        credentials,
        c.hasPath("subscribe-all") ? c.getBoolean("subscribe-all") : d.subscribeAll(),
        c.hasPath("min-backoff") ? c.getDuration("min-backoff") : d.minBackoff(),
        c.hasPath("max-backoff") ? c.getDuration("max-backoff") : d.maxBackoff(),
        c.hasPath("backoff-jitter") ? c.getDouble("backoff-jitter") : d.backoffJitter(),
        c.hasPath("request-timeout") ? c.getDuration("request-timeout") : d.requestTimeout(),
        c.hasPath("max-connections") ? c.getInt("max-connections") : d.maxConnections(),
        c.hasPath("keep-alive") ? c.getDuration("keep-alive") : d.keepAlive(),
        c.hasPath("rest-transport")
            ? RestTransport.parse(c.getString("rest-transport")) : d.restTransport());
  }

  /** A copy with other reconnect backoff values. */
  public AriServerConfig withBackoff(Duration min, Duration max, double jitter) {
    return new AriServerConfig(
        id, baseUrl, app, credentials, subscribeAll, min, max, jitter, requestTimeout,
        maxConnections, keepAlive, restTransport);
  }

  /** A copy with another request timeout. */
  public AriServerConfig withRequestTimeout(Duration timeout) {
    return new AriServerConfig(
        id, baseUrl, app, credentials, subscribeAll, minBackoff, maxBackoff, backoffJitter,
        timeout, maxConnections, keepAlive, restTransport);
  }

  /** A copy with subscribeAll set. */
  public AriServerConfig withSubscribeAll(boolean all) {
    return new AriServerConfig(
        id, baseUrl, app, credentials, all, minBackoff, maxBackoff, backoffJitter,
        requestTimeout, maxConnections, keepAlive, restTransport);
  }

  /** A copy with other credentials. */
  public AriServerConfig withCredentials(Credentials other) {
    return new AriServerConfig(
        id, baseUrl, app, other, subscribeAll, minBackoff, maxBackoff, backoffJitter,
        requestTimeout, maxConnections, keepAlive, restTransport);
  }

  /** A copy with another bound on the REST connection pool. */
  public AriServerConfig withMaxConnections(int connections) {
    return new AriServerConfig(
        id, baseUrl, app, credentials, subscribeAll, minBackoff, maxBackoff, backoffJitter,
        requestTimeout, connections, keepAlive, restTransport);
  }

  /** A copy whose commands travel as {@code transport} says. */
  public AriServerConfig withRestTransport(RestTransport transport) {
    return new AriServerConfig(
        id, baseUrl, app, credentials, subscribeAll, minBackoff, maxBackoff, backoffJitter,
        requestTimeout, maxConnections, keepAlive, transport);
  }
}
