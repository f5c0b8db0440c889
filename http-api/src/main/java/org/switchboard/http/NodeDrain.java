package org.switchboard.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.ActiveCalls;

/**
 * A node's graceful drain, run by Pekko's {@link CoordinatedShutdown} when the node stops for
 * {@link Reason#DRAIN} (SIGTERM through {@link Main}, {@link SwitchboardNode#drain()}) or because
 * the JVM exits. In phase {@code before-service-unbind}, while HTTP and the ARI links still run:
 * new calls are refused or redirected ({@link ActiveCalls#startDraining}), live calls get the
 * deadline to finish, those still up are hung up (their normal ending, callbacks included) and
 * get {@code end-grace}, then the callback outbox gets {@code outbox-flush} to deliver. In phase
 * {@code service-stop} the HTTP server, the ARI links and the webhook client stop. Any other
 * shutdown (tests closing a node) skips both tasks.
 *
 * <p>A node of a cluster with a durable store whose other nodes are up hands its live calls over
 * instead ({@code handsOver}): new calls are refused or redirected as above, then the call
 * entities' shards move to the other nodes before anything stops (a graceful shutdown of the
 * call shard region: each entity stops with its checkpoint kept, and the link owners' reconcile
 * after this node's removal resumes it on its new node), and the outbox is flushed. Nothing is
 * hung up and nothing waits for the calls to end.
 */
public final class NodeDrain {
  private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);
  private static final long POLL_MILLIS = 50;

  /** The shutdown reason of a drain. */
  public enum Reason implements CoordinatedShutdown.Reason {
    DRAIN
  }

  private final DrainSettings settings;
  private final ActiveCalls active;
  private final IntSupplier outboxDepth;
  private final BooleanSupplier handsOver;
  private final Supplier<CompletionStage<Boolean>> handOverCalls;

  NodeDrain(DrainSettings settings, ActiveCalls active, IntSupplier outboxDepth) {
    this(settings, active, outboxDepth, () -> false,
        () -> CompletableFuture.completedFuture(true));
  }

  /**
   * A drain that hands the live calls over ({@code handOverCalls}, completing with whether they
   * all moved) when {@code handsOver} holds at the time it starts.
   */
  NodeDrain(DrainSettings settings, ActiveCalls active, IntSupplier outboxDepth,
      BooleanSupplier handsOver, Supplier<CompletionStage<Boolean>> handOverCalls) {
    this.settings = settings;
    this.active = active;
    this.outboxDepth = outboxDepth;
    this.handsOver = handsOver;
    this.handOverCalls = handOverCalls;
  }

  /** Adds the drain and, after it, {@code stopServices} to {@code system}'s coordinated shutdown. */
  void register(ActorSystem<?> system, Supplier<CompletionStage<Done>> stopServices) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "switchboard-drain",
        () -> drains(shutdown) ? run() : CompletableFuture.completedFuture(Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "switchboard-stop-services",
        () -> drains(shutdown) ? stopServices.get()
            : CompletableFuture.completedFuture(Done.getInstance()));
  }

  private static boolean drains(CoordinatedShutdown shutdown) {
    return shutdown.getShutdownReason()
        .map(r -> r == Reason.DRAIN || r == CoordinatedShutdown.jvmExitReason())
        .orElse(false);
  }

  /** Drains: refuses new calls, waits for the live ones, ends the rest, flushes the outbox. */
  CompletionStage<Done> run() {
    long started = System.nanoTime();
    active.startDraining(settings.policy());
    if (handsOver.getAsBoolean()) {
      log.info("Draining: {} live call(s) move to the other nodes; new calls get {}",
          active.count(), settings.policy().newCalls().name().toLowerCase(java.util.Locale.ROOT));
      return handOverCalls.get()
          .thenCompose(moved -> {
            if (!moved) {
              log.warn("The call shards did not all move within {}; the rest move as the node"
                  + " leaves", settings.deadline());
            }
            return flushed(started);
          });
    }
    log.info("Draining: {} live call(s); new calls get {}; deadline {}", active.count(),
        settings.policy().newCalls().name().toLowerCase(java.util.Locale.ROOT),
        settings.deadline());
    return until(() -> active.count() == 0, settings.deadline())
        .thenCompose(idle -> {
          if (idle) {
            return CompletableFuture.completedFuture(true);
          }
          log.warn("Drain deadline reached: hanging up {} call(s)", active.count());
          active.hangUpAll("node shutting down");
          return until(() -> active.count() == 0, settings.endGrace());
        })
        .thenCompose(ended -> {
          if (!ended) {
            log.error("{} call(s) did not end within {}: {}", active.count(),
                settings.endGrace(), active.callSids());
          }
          return flushed(started);
        });
  }

  /** Flushes the outbox (up to {@code outbox-flush}) and logs the drain's duration. */
  private CompletionStage<Done> flushed(long started) {
    return until(() -> outboxDepth.getAsInt() == 0, settings.outboxFlush())
        .thenApply(flushed -> {
          if (!flushed) {
            log.warn("{} callback(s) stay in the outbox journal for the next start",
                outboxDepth.getAsInt());
          }
          log.info("Drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          return Done.getInstance();
        });
  }

  /** Completes with true once {@code condition} holds, false if it still does not after {@code within}. */
  private static CompletionStage<Boolean> until(BooleanSupplier condition, Duration within) {
    return poll(condition, System.nanoTime() + within.toNanos());
  }

  private static CompletionStage<Boolean> poll(BooleanSupplier condition, long deadline) {
    if (condition.getAsBoolean()) {
      return CompletableFuture.completedFuture(true);
    }
    if (System.nanoTime() - deadline >= 0) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.runAsync(() -> {},
            CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS))
        .thenCompose(v -> poll(condition, deadline));
  }
}
