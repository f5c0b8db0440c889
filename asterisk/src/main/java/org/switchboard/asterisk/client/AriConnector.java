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
import org.switchboard.engine.port.CallDoor;
import org.switchboard.engine.port.EventSink;

/**
 * Wires N Asterisk servers to the engine: per server a REST client and an {@link AriEventStream}
 * feeding its own pipeline of one shared {@link EventRouter} (so a stalled call on one server
 * never backpressures another server's socket), all delivering into one {@link EventSink}. Start
 * with {@link #start} (every server's event socket opens now) or {@link #open} (REST clients
 * only; each event socket opens on {@link #connect} and closes on {@link #release}, which is how a
 * cluster gives each server's socket to exactly one node); the returned handle gives the {@link
 * AriPort}, link states for /health and {@link #shutdown()}.
 */
public final class AriConnector {
  private static final Logger log = LoggerFactory.getLogger(AriConnector.class);

  /** HTTP connections per server of the refusal lane ({@link #refusalPort}). */
  public static final int REFUSAL_CONNECTIONS = 4;

  private final AriPortAdapter port;
  private final EventRouter router;
  private final Map<String, AriEventStream> streams;
  private final ActorSystem system;
  private final EventSink sink;
  private final OwnLatency ownLatency;
  private final AriPortAdapter refusals;
  /** The running pipeline of each connected server (absent: its socket is not held here). */
  private final Map<String, Pair<UniqueKillSwitch, CompletionStage<Done>>> running =
      new java.util.concurrent.ConcurrentHashMap<>();

  private AriConnector(
      ActorSystem system, AriPortAdapter port, EventRouter router, Map<String, AriEventStream> streams,
      EventSink sink, OwnLatency ownLatency, AriPortAdapter refusals) {
    this.system = system;
    this.refusals = refusals;
    this.ownLatency = ownLatency;
    this.sink = sink;
    this.port = port;
    this.router = router;
    this.streams = streams;
  }

  /** Starts every server's link with router settings from {@code switchboard.asterisk.router}. */
  public static AriConnector start(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink) {
    return connectAll(open(system, servers, sink));
  }

  /** Starts every server's link with explicit router settings. */
  public static AriConnector start(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink, RouterSettings settings) {
    return connectAll(open(system, servers, sink, settings));
  }

  private static AriConnector connectAll(AriConnector connector) {
    connector.streams.keySet().forEach(connector::connect);
    return connector;
  }

  /**
   * Every server's REST client and event stream, with no event socket open yet ({@link #connect}
   * opens one); router settings from {@code switchboard.asterisk.router}.
   */
  public static AriConnector open(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink) {
    RouterSettings settings =
        RouterSettings.fromConfig(system.settings().config().getConfig("switchboard.asterisk.router"));
    return open(system, servers, sink, settings);
  }

  /** {@link #open} with explicit router settings. */
  public static AriConnector open(
      ActorSystem system, List<AriServerConfig> servers, EventSink sink, RouterSettings settings) {
    return open(system, servers, sink, settings, REFUSAL_CONNECTIONS);
  }

  /**
   * {@link #open} whose refusal lanes hold {@code refusalConnections} HTTP connections per server:
   * as many refusals as that are on the wire at once (HTTP/1.1 sends one request per connection
   * at a time), so a lane answers at most {@code refusalConnections / round trip} per second.
   */
  public static AriConnector open(ActorSystem system, List<AriServerConfig> servers,
      EventSink sink, int refusalConnections) {
    RouterSettings settings =
        RouterSettings.fromConfig(system.settings().config().getConfig("switchboard.asterisk.router"));
    return open(system, servers, sink, settings, refusalConnections);
  }

  private static AriConnector open(ActorSystem system, List<AriServerConfig> servers,
      EventSink sink, RouterSettings settings, int refusalConnections) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one ARI server is needed");
    }
    EventRouter router = new EventRouter(sink, settings);
    List<AriRestClient> clients = new ArrayList<>();
    List<AriRestClient> lanes = new ArrayList<>();
    Map<String, AriEventStream> streams = new LinkedHashMap<>();
    OwnLatency own = new OwnLatency();
    for (AriServerConfig server : servers) {
      AriRestClient rest = new AriRestClient(system, server);
      clients.add(rest);
      lanes.add(AriRestClient.lane(system, server, refusalConnections));
      AriEventStream stream = new AriEventStream(system, server, rest);
      stream.ownLatency(own);
      if (streams.put(server.id(), stream) != null) {
        throw new IllegalArgumentException("two ARI servers with id " + server.id());
      }
    }
    AriPortAdapter port = new AriPortAdapter(clients);
    port.ownLatency(own);
    return new AriConnector(system, port, router, streams, sink, own, new AriPortAdapter(lanes));
  }

  /**
   * The door new calls pass where their StasisStart is read ({@link CallDoor}): every server's
   * event socket asks it as each frame is read, before the frame is queued for the router.
   */
  public void door(CallDoor door) {
    streams.values().forEach(stream -> stream.door(door));
  }

  /**
   * The refusal lane: the engine's {@link AriPort} on HTTP connections per server of its own
   * ({@value #REFUSAL_CONNECTIONS} unless {@link #open} was given another count), for the
   * hangups of calls turned away at the door, so they never wait behind the live calls' commands
   * (on the event socket or the command pool).
   */
  public AriPortAdapter refusalPort() {
    return refusals;
  }

  /** Switchboard's own share of the latency, measured at the node's edges. */
  public OwnLatency ownLatency() {
    return ownLatency;
  }

  /**
   * Opens the event socket of {@code serverId} (reconnecting until {@link #release}d) and feeds its
   * events into the router. Does nothing when this connector already holds it.
   */
  public synchronized void connect(String serverId) {
    AriEventStream stream = stream(serverId);
    if (running.containsKey(serverId)) {
      return;
    }
    Pair<UniqueKillSwitch, CompletionStage<Done>> pipeline =
        stream
            .source()
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(router.sink(), Keep.both())
            .run(system);
    pipeline
        .second()
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.error("ARI {}: event pipeline failed", serverId, error);
              }
            });
    running.put(serverId, pipeline);
    log.info("ARI {}: linking to {}", serverId, stream.eventsUri());
  }

  /**
   * Closes the event socket of {@code serverId} (another node takes it, or the node stops): its
   * link reads {@code disconnected} with {@code reason} from now on. Completes once the pipeline
   * has handed over what it held.
   */
  public synchronized CompletionStage<Done> release(String serverId, String reason) {
    AriEventStream stream = stream(serverId);
    Pair<UniqueKillSwitch, CompletionStage<Done>> pipeline = running.remove(serverId);
    if (pipeline == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    log.info("ARI {}: releasing the event socket ({})", serverId, reason);
    pipeline.first().shutdown();
    stream.released(reason);
    return pipeline.second().toCompletableFuture().exceptionally(e -> Done.getInstance());
  }

  /**
   * Reconciles {@code serverId} without reconnecting: what it holds now goes to the sink as a
   * {@code Resynced} (orphans hung up, an unanswered caller's call started, live calls check what
   * they wait for). Only while this connector holds its socket; completes when handed over.
   */
  public CompletionStage<Done> resync(String serverId) {
    if (!holds(serverId)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return stream(serverId).snapshot().thenApply(resynced -> {
      log.info("ARI {}: reconciling {} channels and {} bridges", serverId,
          resynced.channels().size(), resynced.bridges().size());
      sink.serverEvent(resynced);
      return Done.getInstance();
    });
  }

  /** Whether this connector holds the event socket of {@code serverId} (connected or retrying). */
  public boolean holds(String serverId) {
    return running.containsKey(serverId);
  }

  private AriEventStream stream(String serverId) {
    AriEventStream stream = streams.get(serverId);
    if (stream == null) {
      throw new IllegalArgumentException("no ARI server " + serverId);
    }
    return stream;
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

  /** ARI events read off the event sockets that the router has not taken yet, all servers. */
  public int unreadEvents() {
    return streams.values().stream().mapToInt(AriEventStream::unread).sum();
  }

  /**
   * Closes every event socket and completes once each pipeline has handed over what it held
   * (deliveries still outstanding are waited for).
   */
  public CompletionStage<Done> shutdown() {
    return CompletableFuture.allOf(
            List.copyOf(running.keySet()).stream()
                .map(id -> release(id, "shut down").toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }
}
