package org.switchboard.http.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * The owner of one Asterisk server's ARI event socket: a Cluster Singleton per server ({@link
 * ClusterLinks}), so exactly one node of the cluster holds the socket and routes the server's
 * events into call sharding. It opens the socket when it starts ({@link AriConnector#connect}: the
 * connect resyncs) and closes it when it stops ({@link AriConnector#release}): on a hand-over (the
 * node leaves; the singleton manager sends {@link HandOver} and starts the next owner only once
 * this one has stopped) or when its node goes down. Answers {@link GetStatus} from any node.
 * When another node is removed from the cluster (it died and was downed, its calls with it), the
 * owner reconciles the server without reconnecting ({@link AriConnector#resync}): channels of
 * calls that no node runs any more are hung up, an unanswered caller's call starts again, and the
 * live calls of every node check what they wait for.
 */
public final class LinkOwner {
  private static final Logger LOG = LoggerFactory.getLogger(LinkOwner.class);

  private LinkOwner() {}

  /** What a link owner understands. */
  public sealed interface Command extends ClusterMessage {}

  /** Asks for the link's state at its owner. */
  public record GetStatus(ActorRef<Report> replyTo) implements Command {}

  /** The singleton manager's stop message: the node leaves, the next oldest takes the link. */
  public record HandOver() implements Command {}

  /** A node left the cluster (downed or removed): the calls it ran may have left channels. */
  private record NodeRemoved(String address) implements Command {}

  /** The reconcile after {@link NodeRemoved} is over. */
  private record Reconciled(String address, Throwable error) implements Command {}

  /**
   * The link of {@code serverId} as its owner sees it.
   *
   * @param owner the owner node's cluster address ({@code pekko://switchboard@host:port})
   * @param connected the owner's socket is open and resynced
   * @param sinceEpochMilli when {@code connected} last changed
   */
  public record Report(
      String serverId, String owner, boolean connected, long sinceEpochMilli, String lastError)
      implements ClusterMessage {}

  /** The owner of {@code serverId}'s socket, over {@code ari}. */
  public static Behavior<Command> create(AriConnector ari, String serverId) {
    return Behaviors.setup(ctx -> {
      String self = Cluster.get(ctx.getSystem()).selfMember().address().toString();
      LOG.info("ARI {}: this node ({}) owns the link and opens its event socket", serverId, self);
      ari.connect(serverId);
      ActorRef<ClusterEvent.MemberRemoved> removals = ctx.messageAdapter(
          ClusterEvent.MemberRemoved.class,
          removed -> new NodeRemoved(removed.member().address().toString()));
      Cluster.get(ctx.getSystem()).subscriptions()
          .tell(Subscribe.create(removals, ClusterEvent.MemberRemoved.class));
      return Behaviors.receive(Command.class)
          .onMessage(NodeRemoved.class, removed -> {
            LOG.info("ARI {}: node {} left the cluster; reconciling the server", serverId,
                removed.address());
            ctx.pipeToSelf(ari.resync(serverId),
                (done, error) -> new Reconciled(removed.address(), error));
            return Behaviors.same();
          })
          .onMessage(Reconciled.class, done -> {
            if (done.error() != null) {
              LOG.warn("ARI {}: reconcile after {} left failed: {}", serverId, done.address(),
                  done.error().toString());
            }
            return Behaviors.same();
          })
          .onMessage(GetStatus.class, get -> {
            LinkStatus status = ari.links().get(serverId);
            get.replyTo().tell(new Report(serverId, self, status.connected(),
                status.since().toEpochMilli(), status.lastError().orElse("")));
            return Behaviors.same();
          })
          .onMessage(HandOver.class, h -> {
            LOG.info("ARI {}: handing the link over (this node leaves)", serverId);
            return Behaviors.stopped(() -> ari.release(serverId, "handed over to another node"));
          })
          .onSignal(PostStop.class, stop -> {
            ari.release(serverId, "owner stopped");
            return Behaviors.same();
          })
          .build();
    });
  }
}
