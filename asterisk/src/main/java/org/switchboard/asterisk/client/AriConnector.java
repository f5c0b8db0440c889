package org.switchboard.asterisk.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.router.EventRouter;
import org.switchboard.asterisk.router.RouterSettings;
import org.switchboard.asterisk.router.RouterStats;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.EventSink;

/**
 * Wires N Asterisk servers to the engine: per server a REST client and an {@link AriEventStream}
 * feeding its own pipeline of one shared {@link EventRouter} (so a stalled call on one server
 * never backpressures another server's socket), all delivering into one {@link EventSink}. Start
 * with {@link #start}; the returned handle gives the {@link AriPort}, link states for /health and
 * {@link #shutdown()}.
 */
public final class AriConnector {
  private static final Logger log = LoggerFactory.getLogger(AriConnector.class);

  private final AriPortAdapter port;
  private final EventRouter router;
  private final Map<String, AriEventStream> streams;
  private final List<UniqueKillSwitch> switches;
  private final List<CompletionStage<Done>> pipelines;
  private final OwnLatency ownLatency;

  private AriConnector(
      AriPortAdapter port,
      EventRouter router,
      Map<String, AriEventStream> streams,
      List<UniqueKillSwitch> switches,
      List<CompletionStage<Done>> pipelines,
      OwnLatency ownLatency) {
    this.ownLatency = ownLatency;
    this.port = port;
    this.router = router;
    this.streams = streams;
    this.switches = switches;
    this.pipelines = pipelines;
  }

  /** Starts every server's link with router settings from {@code switchboard.asterisk.router}. */
  public static AriConnector start(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink) {
    RouterSettings settings =
        RouterSettings.fromConfig(system.settings().config().getConfig("switchboard.asterisk.router"));
    return start(system, servers, sink, settings);
  }

  /** Starts every server's link with explicit router settings. */
  public static AriConnector start(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink, RouterSettings settings) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one ARI server is needed");
    }
    EventRouter router = new EventRouter(sink, settings);
    List<AriRestClient> clients = new ArrayList<>();
    Map<String, AriEventStream> streams = new LinkedHashMap<>();
    List<UniqueKillSwitch> switches = new ArrayList<>();
    List<CompletionStage<Done>> pipelines = new ArrayList<>();
    OwnLatency own = new OwnLatency();
    for (AriServerConfig server : servers) {
      AriRestClient rest = new AriRestClient(system, server);
      clients.add(rest);
      AriEventStream stream = new AriEventStream(system, server, rest);
      stream.ownLatency(own);
      if (streams.put(server.id(), stream) != null) {
        throw new IllegalArgumentException("two ARI servers with id " + server.id());
      }
      Pair<UniqueKillSwitch, CompletionStage<Done>> running =
          stream
              .source()
              .viaMat(KillSwitches.single(), Keep.right())
              .toMat(router.sink(), Keep.both())
              .run(system);
      running
          .second()
          .whenComplete(
              (done, error) -> {
                if (error != null) {
                  log.error("ARI {}: event pipeline failed", server.id(), error);
                }
              });
      switches.add(running.first());
      pipelines.add(running.second());
      log.info("ARI {}: linking to {} as app '{}'", server.id(), server.baseUrl(), server.app());
    }
    AriPortAdapter port = new AriPortAdapter(clients);
    port.ownLatency(own);
    return new AriConnector(port, router, streams, switches, pipelines, own);
  }

  /** Switchboard's own share of the latency, measured at the node's edges. */
  public OwnLatency ownLatency() {
    return ownLatency;
  }

  /** The engine's command port over all servers. */
  public AriPortAdapter ariPort() {
    return port;
  }

  /** The REST client of one server, for what the engine port does not cover. */
  public AriRestClient client(String serverId) {
    return port.client(serverId)
        .orElseThrow(() -> new IllegalArgumentException("no ARI server " + serverId));
  }

  /** Every server's link state, in configuration order. */
  public Map<String, LinkStatus> links() {
    Map<String, LinkStatus> links = new LinkedHashMap<>();
    streams.forEach((id, stream) -> links.put(id, stream.status()));
    return links;
  }

  /** The router's counters (all servers). */
  public RouterStats.Snapshot routerStats() {
    return router.stats();
  }

  /**
   * Closes every event socket and completes once each pipeline has handed over what it held
   * (deliveries still outstanding are waited for).
   */
  public CompletionStage<Done> shutdown() {
    switches.forEach(UniqueKillSwitch::shutdown);
    return CompletableFuture.allOf(
            pipelines.stream()
                .map(p -> p.toCompletableFuture().exceptionally(e -> Done.getInstance()))
                .toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }
}
