package org.switchboard.http.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Protection of the HTTP server against slow and greedy clients ({@code switchboard.http} in
 * reference.conf).
 *
 * @param requestHeaderTimeout a connection must deliver each complete request head within this
 *     time of opening or of its previous response; bytes that trickle in do not extend it
 * @param requestBodyTimeout a streamed request body must arrive in full within this time of its
 *     head
 * @param maxConnectionsPerAddress open connections one client address may hold at once; more are
 *     closed as they are accepted
 * @param trustedAddresses addresses the per-address cap does not apply to (Asterisk fetching
 *     media, a reverse proxy, a load generator)
 */
public record ServerLimits(
    Duration requestHeaderTimeout,
    Duration requestBodyTimeout,
    int maxConnectionsPerAddress,
    AddressRanges trustedAddresses) {

  public ServerLimits {
    if (requestHeaderTimeout.isNegative() || requestHeaderTimeout.isZero()) {
      throw new IllegalArgumentException("request-header-timeout must be positive");
    }
    if (requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()) {
      throw new IllegalArgumentException("request-body-timeout must be positive");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("max-connections-per-address must be positive");
    }
  }

  /** Reads {@code switchboard.http}. */
  public static ServerLimits fromConfig(Config root) {
    Config c = root.getConfig("switchboard.http");
    return new ServerLimits(
        c.getDuration("request-header-timeout"),
        c.getDuration("request-body-timeout"),
        c.getInt("max-connections-per-address"),
        AddressRanges.parse(trusted(c)));
  }

  /** A list, or one comma-separated string (as {@code SWITCHBOARD_HTTP_TRUSTED_ADDRESSES}). */
  private static List<String> trusted(Config c) {
    if (c.getValue("trusted-addresses").valueType() != ConfigValueType.STRING) {
      return c.getStringList("trusted-addresses");
    }
    return Arrays.stream(c.getString("trusted-addresses").split(","))
        .map(String::trim)
        .filter(entry -> !entry.isEmpty())
        .toList();
  }
}
