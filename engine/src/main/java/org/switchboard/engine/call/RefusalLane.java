package org.switchboard.engine.call;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ConfirmedHangup;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.Stages;
import scala.concurrent.ExecutionContext;

/**
 * The hangups of calls turned away at the door ({@link DoorKeeper}), on an ARI port of their own:
 * the node's refusal lane (its own HTTP connections to each server), so a refusal never waits
 * behind the commands of live calls, and at most {@code maxInFlight} refusals are sent at once, so
 * refusals never crowd live calls out of Asterisk either; the others wait here in arrival order.
 * A refusal is sent again ({@link ConfirmedHangup}: 1 s, doubled up to 30 s) until Asterisk
 * confirms it ({@code 2xx}, or {@code 404}: gone) or {@link #gone} says the channel left the
 * application ({@code StasisEnd}, {@code ChannelDestroyed}); then {@code onDone} is told, once.
 * Thread-safe: refusals come from the event sockets' threads, answers from the ARI client's.
 */
final class RefusalLane {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLane.class);

  /** One channel being refused. */
  static final class Refusal {
    final String callSid;
    final ChannelRef channel;
    final HangupReason reason;
    private final ConfirmedHangup hangup;
    private volatile boolean over;

    private Refusal(String callSid, HangupReason reason, ConfirmedHangup hangup) {
      this.callSid = callSid;
      this.channel = hangup.channel();
      this.reason = reason;
      this.hangup = hangup;
    }
  }

  private final AriPort ari;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final int maxInFlight;
  private final Consumer<Refusal> onDone;
  private final Map<ChannelRef, Refusal> open = new ConcurrentHashMap<>();
  private final Queue<Refusal> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Calls of {@link #pump} not yet worked off: one thread pumps, the others leave it work. */
  private final AtomicInteger pumps = new AtomicInteger();
  private final AtomicInteger failuresSinceLog = new AtomicInteger();
  private final Runnable logFailures;
  private volatile String lastFailure = "";

  RefusalLane(AriPort ari, Scheduler scheduler, ExecutionContext executor, int maxInFlight,
      Consumer<Refusal> onDone) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("the refusal lane needs at least 1 request in flight");
    }
    this.ari = ari;
    this.scheduler = scheduler;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
    this.onDone = onDone;
    this.logFailures = Stages.atMostEverySecond(() -> LOG.warn(
        "{} refusal hangups failed since the last report (last: {}); each is sent again until"
            + " Asterisk confirms it", failuresSinceLog.getAndSet(0), lastFailure));
  }

  /** Hangs {@code channel} up with {@code reason} until Asterisk confirms; once per channel. */
  void refuse(String callSid, ChannelRef channel, HangupReason reason) {
    Refusal refusal =
        new Refusal(callSid, reason, new ConfirmedHangup(ari, channel, scheduler, executor));
    if (open.putIfAbsent(channel, refusal) == null) {
      waiting.add(refusal);
      pump();
    }
  }

  /** The channel left the application (StasisEnd, ChannelDestroyed): its refusal is done. */
  void gone(ChannelRef channel) {
    Refusal refusal = open.get(channel);
    if (refusal != null) {
      done(refusal);
    }
  }

  /** Refusals not confirmed yet (waiting, in flight or waiting to be sent again). */
  int open() {
    return open.size();
  }

  /** Refusals waiting for a slot of the lane. */
  int waiting() {
    return waiting.size();
  }

  /** Refusals sent and not answered yet. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Sends waiting refusals while the lane has room. A completion that comes at once (on this
   * thread) calls back in here: it leaves its work to the loop instead of recursing.
   */
  private void pump() {
    if (pumps.getAndIncrement() != 0) {
      return;
    }
    do {
      while (inFlight.get() < maxInFlight) {
        Refusal next = waiting.poll();
        if (next == null) {
          break;
        }
        if (!next.over) {
          inFlight.incrementAndGet();
          send(next);
        }
      }
    } while (pumps.decrementAndGet() != 0);
  }

  private void send(Refusal refusal) {
    refusal.hangup.send(refusal.reason).whenComplete((ok, error) -> {
      inFlight.decrementAndGet();
      answered(refusal, error);
      pump();
    });
  }

  /** A failed refusal waits for its backoff, then for a slot of the lane again. */
  private void answered(Refusal refusal, Throwable error) {
    ConfirmedHangup.Answer answer = refusal.hangup.answered(error, () -> {
      if (!refusal.over) {
        waiting.add(refusal);
        pump();
      }
    });
    if (!(answer instanceof ConfirmedHangup.Failed failed)) {
      done(refusal);
      return;
    }
    if (refusal.over) {
      return;
    }
    lastFailure =
        refusal.channel + " (" + refusal.reason.wire() + "): " + failed.cause().getMessage();
    failuresSinceLog.incrementAndGet();
    logFailures.run();
  }

  private void done(Refusal refusal) {
    synchronized (refusal) {
      if (refusal.over) {
        return;
      }
      refusal.over = true;
    }
    refusal.hangup.stop();
    open.remove(refusal.channel, refusal);
    onDone.accept(refusal);
  }
}
