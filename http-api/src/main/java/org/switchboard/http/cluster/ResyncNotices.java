package org.switchboard.http.cluster;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.Cluster;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * Tells the live calls and legs of every node that a server resynced. Only the node that owns the
 * server's link sees its {@code Resynced} (and its call sink tells that node's calls); the calls
 * of the other nodes wait on the same server for events the gap swallowed just as well. {@link
 * #forwarding} wraps the owner's sink to publish a {@link Notice} on a cluster topic; every node
 * subscribes and tells its own {@link ActiveCalls} {@link CallCommand.ServerResynced}, except the
 * node that published it.
 */
public final class ResyncNotices {
  private static final String TOPIC = "switchboard-server-resynced";

  private ResyncNotices() {}

  /** A server resynced at {@code origin} (the owner node's address). */
  public record Notice(String origin, CallCommand.ServerResynced resynced)
      implements ClusterMessage {}

  /**
   * Subscribes this node's {@code active} calls to the topic and returns {@code sink}, which also
   * publishes each {@code Resynced} it is given.
   */
  public static EventSink forwarding(ActorSystem<?> system, EventSink sink, ActiveCalls active) {
    String self = Cluster.get(system).selfMember().address().toString();
    ActorRef<Topic.Command<Notice>> topic =
        system.systemActorOf(Topic.create(Notice.class, TOPIC), "resync-topic", Props.empty());
    ActorRef<Notice> listener =
        system.systemActorOf(listener(self, active), "resync-listener", Props.empty());
    topic.tell(Topic.subscribe(listener));
    return new EventSink() {
      @Override
      public CompletionStage<Done> deliver(ChannelEvent event) {
        return sink.deliver(event);
      }

      @Override
      public void serverEvent(ServerEvent event) {
        sink.serverEvent(event);
        if (event instanceof ServerEvent.Resynced resynced) {
          Set<String> listed = resynced.channels().stream().map(ChannelEvent.ChannelInfo::id)
              .collect(Collectors.toSet());
          topic.tell(Topic.publish(new Notice(self,
              new CallCommand.ServerResynced(resynced.serverId(), listed))));
        }
      }
    };
  }

  private static Behavior<Notice> listener(String self, ActiveCalls active) {
    return Behaviors.setup(ctx -> Behaviors.receiveMessage(notice -> {
      if (!notice.origin().equals(self)) {
        ctx.getLog().info("server {} resynced at {}: {} live calls and legs here check what they"
            + " missed", notice.resynced().serverId(), notice.origin(), active.count());
        active.tellAll(notice.resynced());
      }
      return Behaviors.same();
    }));
  }
}
