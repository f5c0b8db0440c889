package org.switchboard.http.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.AriRestClient;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.port.Failures;
import org.switchboard.http.api.CallModel;
import org.switchboard.http.api.CallModel.AsteriskLink;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.HealthSnapshot;
import org.switchboard.http.api.CallModel.ServerStatus;
import org.switchboard.http.api.CallModel.SystemStatus;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.QueueControl;
import org.switchboard.http.cluster.ClusterLinks;
import org.switchboard.http.cluster.LinkView;

/**
 * What {@code /health} and {@code /status} report about this node: its live calls and load, each
 * Asterisk server's link (role and owner in the cluster), what each server holds (channels,
 * bridges, its {@code AsteriskInfo}) and the queues. Every count that asks Asterisk or the queues
 * is bounded by {@link #COUNT_TIMEOUT}; one that does not answer reads {@code -1}.
 */
final class NodeStatusReport {
  private static final Duration COUNT_TIMEOUT = Duration.ofSeconds(2);

  private final CallOperations ops;
  private final AriConnector ari;
  private final QueueControl queues;
  private final Supplier<Optional<CallModel.Load>> load;
  private final ClusterLinks links;

  /** {@code links} null: this node's connector holds every server's socket. */
  NodeStatusReport(CallOperations ops, AriConnector ari, QueueControl queues,
      Supplier<Optional<CallModel.Load>> load, ClusterLinks links) {
    this.ops = ops;
    this.ari = ari;
    this.queues = queues;
    this.load = load;
    this.links = links;
  }

  private CompletionStage<List<LinkView>> linkViews() {
    return (links == null ? ClusterLinks.local(ari) : links).views(COUNT_TIMEOUT);
  }

  CompletionStage<HealthSnapshot> health() {
    return linkViews().thenApply(views -> new HealthSnapshot(ops.calls().active().count(),
        views.stream().map(v -> new AsteriskLink(v.serverId(), v.state(), v.since(), v.role(),
            v.owner())).toList(),
        ops.calls().active().draining().isPresent(), load.get()));
  }

  CompletionStage<BridgeCounts> bridgeCounts() {
    List<CompletableFuture<Integer>> bridges = new ArrayList<>();
    for (LinkStatus link : ari.links().values()) {
      if (link.connected()) {
        bridges.add(ari.client(link.serverId()).bridges().list().toCompletableFuture()
            .orTimeout(COUNT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(List::size).exceptionally(e -> -1));
      }
    }
    CompletableFuture<Integer> queuesWaiting = queues.listQueues(0, 1000).toCompletableFuture()
        .orTimeout(COUNT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(page -> (int) page.items().stream().filter(q -> q.currentSize() > 0).count())
        .exceptionally(e -> -1);
    return CompletableFuture.allOf(bridges.toArray(CompletableFuture[]::new))
        .thenCombine(queuesWaiting, (v, waiting) -> {
          int total = 0;
          for (CompletableFuture<Integer> count : bridges) {
            if (count.join() < 0) {
              total = -1;
              break;
            }
            total += count.join();
          }
          return new BridgeCounts(ops.calls().active().count(), waiting, total,
              ops.calls().active().ringingLegs());
        });
  }

  CompletionStage<SystemStatus> status() {
    return linkViews().thenCompose(this::status);
  }

  private CompletionStage<SystemStatus> status(List<LinkView> views) {
    List<CompletableFuture<ServerStatus>> servers = new ArrayList<>();
    for (LinkView link : views) {
      servers.add(serverStatus(link).toCompletableFuture());
    }
    CompletableFuture<List<QueueControl.QueueInfo>> queueList =
        queues.listQueues(0, 1000).toCompletableFuture().thenApply(Page::items);
    return CompletableFuture.allOf(servers.toArray(CompletableFuture[]::new))
        .thenCombine(
            queueList,
            (v, q) ->
                new SystemStatus(
                    servers.stream().map(CompletableFuture::join).toList(),
                    ops.calls().active().count(),
                    ops.calls().active().ringingLegs(),
                    q));
  }

  private CompletionStage<ServerStatus> serverStatus(LinkView link) {
    String state = link.state();
    AriRestClient client = ari.client(link.serverId());
    String commands = client.commandsOverSocket() ? "event socket" : "http";
    CompletableFuture<org.switchboard.asterisk.ari.AsteriskInfo> asterisk =
        client.asteriskInfo().toCompletableFuture();
    CompletableFuture<Map<String, String>> info =
        asterisk
            .thenApply(i -> summary(i, commands))
            .exceptionally(e -> Map.of("error", String.valueOf(Failures.cause(e).getMessage()),
                "commands", commands))
            .thenApply(summary -> withOwner(summary, link));
    CompletableFuture<Optional<Map<String, Object>>> raw =
        asterisk.thenApply(NodeStatusReport::asJson).exceptionally(e -> Optional.empty());
    CompletableFuture<Integer> channels =
        client.channels().list().toCompletableFuture().thenApply(List::size).exceptionally(e -> -1);
    CompletableFuture<Integer> bridges =
        client.bridges().list().toCompletableFuture().thenApply(List::size).exceptionally(e -> -1);
    return CompletableFuture.allOf(info, channels, bridges, raw)
        .thenApply(v -> new ServerStatus(link.serverId(), state, info.join(), channels.join(),
            bridges.join(), raw.join()));
  }

  /** The link's role on this node and the node that holds its socket. */
  private static Map<String, String> withOwner(Map<String, String> info, LinkView link) {
    Map<String, String> all = new java.util.LinkedHashMap<>(info);
    all.put("role", link.role());
    link.owner().ifPresent(owner -> all.put("owner", owner));
    return all;
  }

  /** Version, system name and entity id of a server, and how commands reach it. */
  private static Map<String, String> summary(
      org.switchboard.asterisk.ari.AsteriskInfo info, String commands) {
    Map<String, String> summary = new java.util.LinkedHashMap<>();
    if (info.system() != null) {
      summary.put("version", String.valueOf(info.system().version()));
      summary.put("entityId", String.valueOf(info.system().entityId()));
    }
    if (info.config() != null && info.config().name() != null) {
      summary.put("name", info.config().name());
    }
    summary.put("commands", commands);
    return summary;
  }

  /** ARI's {@code AsteriskInfo} as Asterisk writes it (snake_case, ISO times). */
  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> asJson(
      org.switchboard.asterisk.ari.AsteriskInfo info) {
    try {
      String json = org.switchboard.asterisk.ari.AriJson.MAPPER.writeValueAsString(info);
      return Optional.of(org.switchboard.asterisk.ari.AriJson.MAPPER.readValue(json, Map.class));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
