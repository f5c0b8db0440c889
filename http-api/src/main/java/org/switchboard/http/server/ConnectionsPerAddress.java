package org.switchboard.http.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open connections of each client address and refuses one beyond the cap, except for
 * trusted addresses, which are never counted. Thread-safe.
 */
public final class ConnectionsPerAddress {
  private final int max;
  private final AddressRanges trusted;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

  /** A cap of {@code max} connections per address not in {@code trusted}. */
  public ConnectionsPerAddress(int max, AddressRanges trusted) {
    this.max = max;
    this.trusted = trusted;
  }

  /**
   * Counts a new connection from {@code address}; false (and not counted) when the address
   * already holds the maximum.
   */
  public boolean tryOpen(InetAddress address) {
    if (trusted.contains(address)) {
      return true;
    }
    boolean[] accepted = {false};
    open.compute(address, (a, count) -> {
      int current = count == null ? 0 : count;
      accepted[0] = current < max;
      return accepted[0] ? current + 1 : count;
    });
    return accepted[0];
  }

  /** Uncounts a connection that {@link #tryOpen} accepted. */
  public void closed(InetAddress address) {
    if (!trusted.contains(address)) {
      open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }
  }

  /** The connections {@code address} holds now (0 for trusted addresses). */
  public int open(InetAddress address) {
    return open.getOrDefault(address, 0);
  }
}
