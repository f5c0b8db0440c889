package org.switchboard.asterisk.client;

import java.time.Duration;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;

/**
 * Settings of Switchboard's pooled HTTP clients (ARI commands; webhooks have their own client,
 * http-api's {@code WebhookTransport}): at most {@code maxConnections} connections per host,
 * {@value #QUEUED_PER_CONNECTION} requests queued per connection (rounded up to the power of two
 * Pekko requires), no automatic retries (callers decide
 * what may be sent again), and response headers kept raw: nothing reads them typed (Location,
 * Set-Cookie and the like are read by name), and modeling each one — {@code Date} above all — on
 * every answer cost ≈ 3 % of the CPU under load.
 */
public final class ClientPools {
  /** Requests a pool queues per connection before it refuses more as full. */
  static final int QUEUED_PER_CONNECTION = 64;

  /** Requests a lane's pool queues per connection (fewer than a command pool's). */
  static final int LANE_QUEUED_PER_CONNECTION = 8;

  private ClientPools() {}

  /** A bounded pool with Pekko's default connecting timeout. */
  public static ConnectionPoolSettings bounded(ActorSystem system, int maxConnections) {
    return bounded(system, maxConnections, ClientConnectionSettings.create(system));
  }

  /** A bounded pool whose connections give up connecting after {@code connectingTimeout}. */
  public static ConnectionPoolSettings bounded(
      ActorSystem system, int maxConnections, Duration connectingTimeout) {
    return bounded(system, maxConnections,
        ClientConnectionSettings.create(system).withConnectingTimeout(connectingTimeout));
  }

  /**
   * The pool of a refusal lane ({@code AriConnector#refusalPort}): {@code connections} of its own
   * to the server, whatever the command pool holds. Pekko shares one pool among requests with
   * equal settings; a lane queues {@value #LANE_QUEUED_PER_CONNECTION} requests per connection, a
   * number no {@link #bounded} pool has, so the lane never shares the commands' pool.
   */
  public static ConnectionPoolSettings lane(ActorSystem system, int connections) {
    return bounded(system, connections)
        .withMaxOpenRequests(Integer.highestOneBit(connections * LANE_QUEUED_PER_CONNECTION - 1) << 1);
  }

  private static ConnectionPoolSettings bounded(
      ActorSystem system, int maxConnections, ClientConnectionSettings connection) {
    int open = Math.max(32, maxConnections * QUEUED_PER_CONNECTION);
    return ConnectionPoolSettings.create(system)
        .withMaxConnections(maxConnections)
        .withMaxOpenRequests(Integer.highestOneBit(open - 1) << 1)
        .withMaxRetries(0)
        .withConnectionSettings(connection.withParserSettings(
            connection.getParserSettings().withModeledHeaderParsing(false)));
  }
}
