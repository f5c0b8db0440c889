package org.switchboard.http.dashboard;

import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.switchboard.http.api.Authenticator;

/**
 * Who may see the dashboard: a request with the REST API's Basic credentials (compared in constant
 * time by {@link Authenticator}), or, when {@code loopbackWithoutCredentials} (the demo), any
 * request whose TCP peer is a loopback address. The peer is the connection's own address ({@code
 * remote-address-attribute}), never a forwarding header a client could write.
 */
final class DashboardAccess {
  private final Authenticator auth;
  private final boolean loopbackWithoutCredentials;

  DashboardAccess(Authenticator auth, boolean loopbackWithoutCredentials) {
    this.auth = auth;
    this.loopbackWithoutCredentials = loopbackWithoutCredentials;
  }

  /** Whether {@code request} may see the dashboard. */
  boolean allowed(HttpRequest request) {
    boolean credentials = auth.basicValid(request);
    return credentials || loopbackWithoutCredentials && fromLoopback(request);
  }

  private static boolean fromLoopback(HttpRequest request) {
    Optional<InetAddress> peer = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress);
    return peer.map(InetAddress::isLoopbackAddress).orElse(false);
  }
}
