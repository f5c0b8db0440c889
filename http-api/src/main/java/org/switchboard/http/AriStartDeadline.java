package org.switchboard.http;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Llamenos bridge's {@code ARI_CONNECTION_TIMEOUT_MS} ({@code switchboard.ari.connection-timeout}):
 * a node none of whose Asterisk servers has connected this long after the start exits with
 * status 1, so a supervisor (systemd, Docker) sees the broken configuration instead of a process
 * that retries quietly. Once any server has connected, later outages only reconnect.
 */
final class AriStartDeadline {
  private static final Logger log = LoggerFactory.getLogger(AriStartDeadline.class);

  private AriStartDeadline() {}

  /** Arms the deadline on {@code node}; a zero {@code timeout} disarms it. */
  static void watch(SwitchboardNode node, Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      return;
    }
    node.system().scheduler().scheduleOnce(timeout, () -> {
      if (everConnected(node)) {
        return;
      }
      // A standby node holds no socket: it counts as connected when another node's is.
      node.links().views(Duration.ofSeconds(5)).thenAccept(views -> {
        if (views.stream().noneMatch(view -> view.connected()) && !everConnected(node)) {
          log.error("no Asterisk server connected within {} (switchboard.ari.connection-timeout,"
              + " ARI_CONNECTION_TIMEOUT_MS): {}", timeout, views);
          System.err.println("switchboard: no Asterisk server connected within " + timeout);
          System.exit(1);
        }
      });
    }, node.system().executionContext());
  }

  static boolean everConnected(SwitchboardNode node) {
    return node.ari().links().values().stream()
        .anyMatch(link -> link.connected() || link.connects() > 0);
  }
}
