package org.switchboard.engine.queue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The queues: one {@link QueueActor} per queue name, a Cluster Sharding entity keyed by the name,
 * so every node that enqueues or dequeues a caller talks to the same queue. Names this node has
 * used are remembered (with their {@code QU…} sids) for the REST API's queue list until the queue
 * passivates after staying empty ({@link QueueSettings#idleTimeout()}).
 */
public final class Queues {

  /** The entity type of queues. */
  public static final EntityTypeKey<QueueActor.Command> TYPE_KEY =
      EntityTypeKey.create(QueueActor.Command.class, "Queue");

  private final ClusterSharding sharding;
  private final Map<String, String> nameBySid = new ConcurrentHashMap<>();

  private Queues(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  /** Initialises queue sharding on this node (the cluster must be joined or joining). */
  public static Queues start(ActorSystem<?> system, QueueSettings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Queues queues = new Queues(sharding);
    sharding.init(
        Entity.of(
            TYPE_KEY,
            entity ->
                QueueActor.create(
                    entity.getEntityId(),
                    settings,
                    Optional.of(
                        new QueueActor.Sharded(
                            entity.getShard(),
                            sharding.entityRefFor(TYPE_KEY, entity.getEntityId()),
                            queues::retired)))));
    return queues;
  }

  /** The queue named {@code name}, created on first use. */
  public EntityRef<QueueActor.Command> queue(String name) {
    nameBySid.putIfAbsent(QueueActor.queueSid(name), name);
    return sharding.entityRefFor(TYPE_KEY, name);
  }

  /** Forgets a queue that passivated (it stayed empty); its next use remembers it again. */
  private void retired(String name) {
    nameBySid.remove(QueueActor.queueSid(name), name);
  }

  /** The name of the queue with this {@code QU…} sid, if this node has used it. */
  public Optional<String> nameOf(String queueSid) {
    return Optional.ofNullable(nameBySid.get(queueSid));
  }

  /** Names of the queues this node has used, sorted. */
  public Set<String> names() {
    return new TreeSet<>(nameBySid.values());
  }
}
