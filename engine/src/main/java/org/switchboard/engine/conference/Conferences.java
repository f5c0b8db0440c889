package org.switchboard.engine.conference;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.WebhookPort;

/** The conference rooms: one {@link ConferenceActor} per room name, sharded by the name. */
public final class Conferences {

  /** The entity type of conference rooms. */
  public static final EntityTypeKey<ConferenceActor.Command> TYPE_KEY =
      EntityTypeKey.create(ConferenceActor.Command.class, "Conference");

  private final ClusterSharding sharding;
  private final java.util.Set<String> named = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Conferences(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  /** Initialises conference sharding on this node. */
  public static Conferences start(
      ActorSystem<?> system, AriPort ari, WebhookPort webhooks, String accountSid, Clock clock) {
    return start(system, ari, webhooks, accountSid, clock, ConferenceRecorder.NONE);
  }

  /** Initialises conference sharding on this node; rooms record through {@code recorder}. */
  public static Conferences start(ActorSystem<?> system, AriPort ari, WebhookPort webhooks,
      String accountSid, Clock clock, ConferenceRecorder recorder) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
            TYPE_KEY,
            entity -> ConferenceActor.create(entity.getEntityId(), ari, webhooks, accountSid, clock,
                recorder)));
    return new Conferences(sharding);
  }

  /** The room {@code name}; its name is remembered for {@link #names()}. */
  public EntityRef<ConferenceActor.Command> room(String name) {
    named.add(name);
    return sharding.entityRefFor(TYPE_KEY, name);
  }

  /**
   * The rooms this node has addressed since it started (the REST Conferences list asks each one
   * for its conferences): a room only other nodes used is not among them.
   */
  public java.util.Set<String> names() {
    return java.util.Set.copyOf(named);
  }
}
