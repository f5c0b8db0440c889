package org.switchboard.http.server;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.IncomingConnection;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.api.MetricsRegistry;

/**
 * Binds a {@link Route} the way {@code Http.newServerAt(..).bind(route)} does (at most {@code
 * pekko.http.server.max-connections} connections at once), and guards every connection with
 * {@link ServerLimits}: connections beyond the per-address cap are closed as they are accepted,
 * and each accepted one runs under {@link ConnectionDeadlines}. Counts what it refuses in {@code
 * switchboard_http_connections_refused_total{reason}}.
 */
public final class GuardedServer {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedServer.class);
  /** Refusals are logged at most this often (a flood must not flood the log). */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final ServerLimits limits;
  private final ConnectionsPerAddress perAddress;
  private final Flow<HttpRequest, HttpResponse, ?> handler;
  private final Materializer materializer;
  private final MetricsRegistry.Counter refused;
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
  private final AtomicLong refusalsSinceLog = new AtomicLong();

  private GuardedServer(ClassicActorSystemProvider system, Route route, ServerLimits limits,
      MetricsRegistry metrics) {
    this.limits = limits;
    this.perAddress =
        new ConnectionsPerAddress(limits.maxConnectionsPerAddress(), limits.trustedAddresses());
    this.handler = route.flow(system);
    this.materializer = Materializer.matFromSystem(system);
    this.refused = metrics.counter("switchboard_http_connections_refused_total",
        "HTTP connections closed by the server's limits: per-address (over the cap as it"
            + " connected), header-timeout, body-timeout.", "reason");
  }

  /**
   * Binds {@code route} on {@code host:port}; the binding's future fails when the port cannot be
   * bound.
   */
  public static CompletionStage<ServerBinding> bind(ClassicActorSystemProvider system,
      String host, int port, Route route, ServerLimits limits, MetricsRegistry metrics) {
    return bind(system, host, port, route, limits, metrics, Optional.empty());
  }

  /** As {@link #bind}, serving HTTPS with {@code https} when present ({@link PemTls}). */
  public static CompletionStage<ServerBinding> bind(ClassicActorSystemProvider system,
      String host, int port, Route route, ServerLimits limits, MetricsRegistry metrics,
      Optional<HttpsConnectionContext> https) {
    GuardedServer server = new GuardedServer(system, route, limits, metrics);
    int maxConnections = ServerSettings.create(system.classicSystem()).getMaxConnections();
    LOG.info("HTTP limits: request head within {}, body within {}, {} connections per address"
            + " except {}", limits.requestHeaderTimeout(), limits.requestBodyTimeout(),
        limits.maxConnectionsPerAddress(), limits.trustedAddresses());
    ServerBuilder builder = Http.get(system).newServerAt(host, port);
    if (https.isPresent()) {
      builder = builder.enableHttps(https.get());
    }
    return builder.connectionSource()
        .mapAsyncUnordered(maxConnections, server::handle)
        .toMat(Sink.ignore(), Keep.left())
        .run(server.materializer);
  }

  /** Serves one connection; completes when it is closed. */
  private CompletionStage<Done> handle(IncomingConnection connection) {
    InetAddress address = connection.remoteAddress().getAddress();
    if (!perAddress.tryOpen(address)) {
      refused(address);
      connection.handleWith(Flow.<HttpRequest>create().take(0)
          .map(r -> HttpResponse.create()), materializer);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    try {
      BidiFlow<HttpRequest, HttpRequest, HttpResponse, HttpResponse, ?> deadlines =
          BidiFlow.fromGraph(new ConnectionDeadlines(limits,
              connection.remoteAddress().toString(), reason -> refused.incLabels(reason.label())));
      return connection.handleWith(deadlines.join(handler)
          .watchTermination((mat, done) -> done.whenComplete((d, e) -> perAddress.closed(address))),
          materializer);
    } catch (RuntimeException e) {
      perAddress.closed(address);
      LOG.warn("could not serve the connection of {}: {}", connection.remoteAddress(), e.toString());
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  private void refused(InetAddress address) {
    refused.incLabels("per-address");
    long since = refusalsSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
      refusalsSinceLog.addAndGet(-since);
      LOG.warn("refused a connection from {}: it already holds {} (switchboard.http"
              + ".max-connections-per-address); {} refused in all since the last such line",
          address.getHostAddress(), limits.maxConnectionsPerAddress(), since);
    }
  }
}
