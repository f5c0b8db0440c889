package org.switchboard.engine.call;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.NodeHandOver;

/**
 * An event for a call or leg that runs on this node goes straight to its entity's mailbox, not
 * through the shard region and the shard (two actor hand-offs per event, each a thread woken on a
 * small machine). Only while the entity is registered in {@link ActiveCalls} (a call from its
 * start to its teardown, a leg until it ended: never while it passivates) and the node is not
 * handing its calls over. Order holds: the router sends a channel's next event only once the
 * entity acknowledged the one before, whichever way that one went.
 *
 * <p>An entity can still stop before the event arrives (a hand-over that just began, a failure
 * that stopped it). If Pekko knows it stopped, the ask is not sent and the event goes through
 * sharding at once; if it stops with the event in its mailbox, the event lands in the dead
 * letters, where {@link
 * #redeliverer} takes it and sends it through sharding after all, which holds it for the entity's
 * next incarnation as it holds any message for a stopped entity; its acknowledgement still
 * completes the router's ask. (So is an event that sharding itself had put in the mailbox of an
 * entity a hand-over stopped.)
 */
final class DirectDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(DirectDelivery.class);

  private final ActorSystem<?> system;
  private final NodeHandOver handOver;
  private final ActiveCalls active;
  private final Duration askTimeout;
  private final java.util.function.BiFunction<String, org.switchboard.engine.port.ChannelEvent,
      CompletionStage<Done>> throughSharding;

  private DirectDelivery(ActorSystem<?> system, ClusterSharding sharding, ActiveCalls active,
      Duration askTimeout) {
    this.system = system;
    this.handOver = NodeHandOver.get(system);
    this.active = active;
    this.askTimeout = askTimeout;
    this.throughSharding = (entityId, event) -> sharding
        .entityRefFor(CallEntity.TYPE_KEY, entityId)
        .ask(ack -> new CallCommand.Deliver(event, ack), askTimeout);
  }

  /**
   * Direct delivery on {@code system}, or none when {@code switchboard.call.direct-delivery} is
   * off; starts the dead letters' redeliverer.
   */
  static Optional<DirectDelivery> start(ActorSystem<?> system, ClusterSharding sharding,
      ActiveCalls active, Duration askTimeout) {
    var config = system.settings().config();
    String key = "switchboard.call.direct-delivery";
    if (config.hasPath(key) && !config.getBoolean(key)) {
      return Optional.empty();
    }
    Redelivering.ID.apply(system).startOnce(system, sharding);
    return Optional.of(new DirectDelivery(system, sharding, active, askTimeout));
  }

  /** The event's delivery to its entity's own ref, or empty when it must go through sharding. */
  Optional<CompletionStage<Done>> deliver(String entityId,
      org.switchboard.engine.port.ChannelEvent event) {
    Optional<ActorRef<CallCommand>> live = active.liveRef(entityId);
    if (live.isEmpty() || handOver.started()) {
      return Optional.empty();
    }
    CompletionStage<Done> asked = AskPattern.<CallCommand, Done>ask(live.get(),
        ack -> new CallCommand.Deliver(event, ack), askTimeout, system.scheduler());
    // An ask to an actor Pekko knows to have stopped fails at once (its message goes to the dead
    // letters with no one to acknowledge to, and the redeliverer leaves it there).
    return Optional.of(asked.exceptionallyCompose(error -> notSent(error)
        ? throughSharding.apply(entityId, event)
        : java.util.concurrent.CompletableFuture.failedStage(error)));
  }

  /** Whether the ask failed at once: its target had stopped before it was asked. */
  static boolean notSent(Throwable error) {
    Throwable cause = org.switchboard.engine.port.Failures.cause(error);
    return cause instanceof java.util.concurrent.TimeoutException
        && String.valueOf(cause.getMessage()).contains("had already been terminated");
  }

  /** The one redeliverer of an actor system (a test may start the calls of one twice). */
  private static final class Redelivering implements org.apache.pekko.actor.typed.Extension {
    static final org.apache.pekko.actor.typed.ExtensionId<Redelivering> ID =
        new org.apache.pekko.actor.typed.ExtensionId<>() {
          @Override
          public Redelivering createExtension(ActorSystem<?> system) {
            return new Redelivering();
          }
        };

    private boolean started;

    synchronized void startOnce(ActorSystem<?> system, ClusterSharding sharding) {
      if (started) {
        return;
      }
      started = true;
      ActorRef<DeadLetter> redeliverer =
          system.systemActorOf(redeliverer(sharding), "call-event-redeliverer", Props.empty());
      system.eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, redeliverer));
    }
  }

  /** Sends an event that found its entity stopped through sharding. */
  private static Behavior<DeadLetter> redeliverer(ClusterSharding sharding) {
    return Behaviors.receiveMessage(dead -> {
      // Only what an entity itself did not take (its actor is named by its id): an event that
      // the region or a shard dropped (the node stops) is not sent round again, nor one whose
      // ask had failed at once (no one waits for its acknowledgement: deliver() sent it again).
      if (dead.message() instanceof CallCommand.Deliver deliver
          && CallRouting.entityIdFor(deliver.event()).equals(dead.recipient().path().name())
          && !deliver.ack().path().name().equals("deadLetters")) {
        String entityId = dead.recipient().path().name();
        LOG.debug("{}: its entity stopped before the event reached it; through sharding: {}",
            entityId, deliver.event());
        sharding.entityRefFor(CallEntity.TYPE_KEY, entityId).tell(deliver);
      }
      return Behaviors.same();
    });
  }
}
