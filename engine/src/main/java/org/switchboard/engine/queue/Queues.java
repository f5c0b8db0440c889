package org.switchboard.engine.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
 * so every node that enqueues or dequeues a caller talks to the same queue. Queues this node has
 * used or the REST API created are remembered ({@link Entry}: {@code QU…} sid, name, dates, the
 * REST {@code MaxSize}) until the REST API deletes them, as Twilio's queues persist; a queue's
 * actor still passivates after staying empty ({@link QueueSettings#idleTimeout()}), and starts
 * again with the remembered size limit.
 */
public final class Queues {

  /** The entity type of queues. */
  public static final EntityTypeKey<QueueActor.Command> TYPE_KEY =
      EntityTypeKey.create(QueueActor.Command.class, "Queue");

  /**
   * A queue as this node remembers it.
   *
   * @param maxSize the REST API's {@code MaxSize}; empty: the configured default
   */
  public record Entry(String sid, String name, Instant dateCreated, Instant dateUpdated,
      OptionalInt maxSize) {}

  private final ClusterSharding sharding;
  private final Clock clock;
  private final Map<String, Entry> bySid = new ConcurrentHashMap<>();
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  private Queues(ClusterSharding sharding, Clock clock) {
    this.sharding = sharding;
    this.clock = clock;
  }

  /** Initialises queue sharding on this node (the cluster must be joined or joining). */
  public static Queues start(ActorSystem<?> system, QueueSettings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Queues queues = new Queues(sharding, settings.clock());
    sharding.init(
        Entity.of(
            TYPE_KEY,
            entity ->
                QueueActor.create(
                    entity.getEntityId(),
                    queues.settingsOf(entity.getEntityId(), settings),
                    Optional.of(
                        new QueueActor.Sharded(
                            entity.getShard(),
                            sharding.entityRefFor(TYPE_KEY, entity.getEntityId()),
                            queues::retired)))));
    return queues;
  }

  /** The queue named {@code name}, created on first use. */
  public EntityRef<QueueActor.Command> queue(String name) {
    remember(name, OptionalInt.empty());
    live.add(name);
    return sharding.entityRefFor(TYPE_KEY, name);
  }

  private QueueSettings settingsOf(String name, QueueSettings settings) {
    OptionalInt max = Optional.ofNullable(bySid.get(QueueActor.queueSid(name)))
        .map(Entry::maxSize).orElse(OptionalInt.empty());
    return max.isEmpty() ? settings : new QueueSettings(max.getAsInt(), settings.averageWindow(),
        settings.clock(), settings.idleTimeout());
  }

  /** Notes that a queue's actor passivated (it stayed empty); the queue stays listed. */
  private void retired(String name) {
    live.remove(name);
  }

  private Entry remember(String name, OptionalInt maxSize) {
    Instant now = clock.instant();
    return bySid.computeIfAbsent(QueueActor.queueSid(name),
        sid -> new Entry(sid, name, now, now, maxSize));
  }

  /**
   * Creates the queue {@code name} (REST {@code POST /Queues}) with {@code maxSize}, or answers
   * the existing one of that name, its size limit changed when {@code maxSize} is given.
   */
  public Entry create(String name, OptionalInt maxSize) {
    Entry entry = remember(name, maxSize);
    if (maxSize.isPresent() && !maxSize.equals(entry.maxSize())) {
      return resize(entry.sid(), maxSize.getAsInt()).orElse(entry);
    }
    return entry;
  }

  /** Changes a queue's size limit, telling its actor when it runs. Empty: unknown sid. */
  public Optional<Entry> resize(String queueSid, int maxSize) {
    Entry updated = bySid.computeIfPresent(queueSid, (sid, e) ->
        new Entry(sid, e.name(), e.dateCreated(), clock.instant(), OptionalInt.of(maxSize)));
    if (updated != null && live.contains(updated.name())) {
      sharding.entityRefFor(TYPE_KEY, updated.name()).tell(new QueueActor.Resize(maxSize));
    }
    return Optional.ofNullable(updated);
  }

  /** Forgets a queue (REST delete; the caller checked it is empty). False: unknown sid. */
  public boolean delete(String queueSid) {
    return bySid.remove(queueSid) != null;
  }

  /** The remembered queue with this sid. */
  public Optional<Entry> entry(String queueSid) {
    return Optional.ofNullable(bySid.get(queueSid));
  }

  /** Whether the queue's actor runs (it may hold members); a passivated queue is empty. */
  public boolean isLive(String name) {
    return live.contains(name);
  }

  /** The name of the queue with this {@code QU…} sid, if this node knows it. */
  public Optional<String> nameOf(String queueSid) {
    return entry(queueSid).map(Entry::name);
  }

  /** Names of the queues this node knows, sorted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    bySid.values().forEach(e -> names.add(e.name()));
    return names;
  }
}
