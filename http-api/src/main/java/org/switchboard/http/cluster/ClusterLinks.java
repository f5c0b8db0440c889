package org.switchboard.http.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.LinkStatus;

/**
 * Which node holds each Asterisk server's event socket. {@link #start} makes one {@link
 * LinkOwner} Cluster Singleton per configured server (every node runs the same configuration):
 * the singletons live on the oldest node, which holds every socket; when it leaves they are handed
 * over, when it dies they restart on the next oldest once the split-brain resolver has downed it.
 * {@link #local} is the view of a connector that holds its sockets itself (no singletons).
 */
public final class ClusterLinks {
  private final ActorSystem<?> system;
  private final AriConnector ari;
  private final Map<String, ActorRef<LinkOwner.Command>> owners;
  private final Optional<String> self;

  private ClusterLinks(
      ActorSystem<?> system, AriConnector ari, Map<String, ActorRef<LinkOwner.Command>> owners) {
    this.system = system;
    this.ari = ari;
    this.owners = owners;
    this.self = system == null ? Optional.empty()
        : Optional.of(Cluster.get(system).selfMember().address().toString());
  }

  /** One link-owner singleton per server of {@code ari} (opened, not connected). */
  public static ClusterLinks start(ActorSystem<?> system, AriConnector ari) {
    ClusterSingleton singletons = ClusterSingleton.get(system);
    Map<String, ActorRef<LinkOwner.Command>> owners = new LinkedHashMap<>();
    for (String serverId : ari.links().keySet()) {
      owners.put(serverId, singletons.init(
          SingletonActor.of(LinkOwner.create(ari, serverId), singletonName(serverId))
              .withStopMessage(new LinkOwner.HandOver())));
    }
    return new ClusterLinks(system, ari, owners);
  }

  /** The links of a connector that holds every socket itself. */
  public static ClusterLinks local(AriConnector ari) {
    return new ClusterLinks(null, ari, Map.of());
  }

  /** Every server's link as this node sees it, in configuration order; owners asked within {@code timeout}. */
  public CompletionStage<List<LinkView>> views(Duration timeout) {
    List<CompletableFuture<LinkView>> views = new ArrayList<>();
    ari.links().forEach((serverId, local) -> {
      ActorRef<LinkOwner.Command> owner = owners.get(serverId);
      if (owner == null || ari.holds(serverId)) {
        views.add(CompletableFuture.completedFuture(localView(local, self)));
      } else {
        views.add(AskPattern.<LinkOwner.Command, LinkOwner.Report>ask(
                owner, LinkOwner.GetStatus::new, timeout, system.scheduler())
            .toCompletableFuture()
            .thenApply(ClusterLinks::remoteView)
            .exceptionally(e -> new LinkView(serverId, "disconnected", false, Optional.empty(),
                Optional.empty(), Optional.of("no owner answered within " + timeout))));
      }
    });
    return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
        .thenApply(v -> views.stream().map(CompletableFuture::join).toList());
  }

  private static LinkView localView(LinkStatus local, Optional<String> self) {
    return new LinkView(local.serverId(), local.connected() ? "owner" : "disconnected",
        local.connected(), self, Optional.ofNullable(local.since()), local.lastError());
  }

  private static LinkView remoteView(LinkOwner.Report report) {
    return new LinkView(report.serverId(), report.connected() ? "standby" : "disconnected",
        report.connected(), Optional.of(report.owner()),
        Optional.of(Instant.ofEpochMilli(report.sinceEpochMilli())),
        report.lastError().isEmpty() ? Optional.empty() : Optional.of(report.lastError()));
  }

  private static String singletonName(String serverId) {
    return "ari-link-" + URLEncoder.encode(serverId, StandardCharsets.UTF_8);
  }
}
