package org.switchboard.http.webhook;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's callbacks whose last attempt got no answer from their host (refused, no connection
 * in time, timed out), per host: they are due again as soon as the host answers anything, and
 * meanwhile one of them per host goes every {@code probeInterval} as that host's probe, whatever
 * its backoff. Not thread-safe: {@link CallbackOutbox} calls it under its lock, except {@link
 * #any}, which it reads without the lock on every answer a host gives.
 */
final class HostProbes {
  private static final Logger LOG = LoggerFactory.getLogger(HostProbes.class);

  private final long probeIntervalMillis;
  /** Per host, the entries waiting for it: entry id → order key. */
  private final Map<String, Map<String, String>> awaiting = new HashMap<>();
  /** The host each entry of {@link #awaiting} waits for. */
  private final Map<String, String> awaitedHost = new HashMap<>();
  /** Per host awaited, the entry sent as its probe, while it is in flight. */
  private final Map<String, String> probes = new HashMap<>();
  /** Per host awaited, when its next probe may go. */
  private final Map<String, Long> nextProbeAt = new HashMap<>();
  private volatile boolean any;

  HostProbes(java.time.Duration probeInterval) {
    this.probeIntervalMillis = probeInterval.toMillis();
  }

  /** Whether any callback waits for its host (read without the outbox's lock). */
  boolean any() {
    return any;
  }

  /** {@code host} answered: the callbacks that waited for it (id → order key), or none. */
  Map<String, String> answered(String host) {
    Map<String, String> waiting = awaiting.remove(host);
    if (waiting == null) {
      return Map.of();
    }
    nextProbeAt.remove(host);
    probes.remove(host);
    waiting.keySet().forEach(awaitedHost::remove);
    any = !awaitedHost.isEmpty();
    return waiting;
  }

  /**
   * Whether entry {@code id}, waiting out its backoff for a host that gave no answer, goes now as
   * that host's probe: none in flight, and the probe interval passed since the last.
   */
  boolean goesAsProbe(String id, long now) {
    String host = awaitedHost.get(id);
    if (host == null || probes.containsKey(host)
        || now < nextProbeAt.getOrDefault(host, Long.MAX_VALUE)) {
      return false;
    }
    probes.put(host, id);
    nextProbeAt.put(host, now + probeIntervalMillis);
    LOG.debug("Outbox: probing {} with callback {}", host, id);
    return true;
  }

  /** {@code entry}'s last attempt got no answer from its host: it waits for that host. */
  void await(OutboxEntry entry, long now) {
    String host = hostOf(entry);
    awaitedHost.put(entry.id(), host);
    awaiting.computeIfAbsent(host, h -> new HashMap<>()).put(entry.id(), entry.orderKey());
    nextProbeAt.putIfAbsent(host, now + probeIntervalMillis);
    any = true;
  }

  /** Entry {@code id}'s attempt ended: if it went as a probe, its host may be probed again. */
  void attemptEnded(String id) {
    probes.values().remove(id);
  }

  /** {@code id} no longer waits for its host (answered, retried, delivered or dead). */
  void stop(String id) {
    String host = awaitedHost.remove(id);
    if (host == null) {
      return;
    }
    Map<String, String> waiting = awaiting.get(host);
    if (waiting != null) {
      waiting.remove(id);
      if (waiting.isEmpty()) {
        awaiting.remove(host);
        nextProbeAt.remove(host);
      }
    }
    any = !awaitedHost.isEmpty();
  }

  private static String hostOf(OutboxEntry entry) {
    try {
      return WebhookTransport.hostKey(java.net.URI.create(entry.url()));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
