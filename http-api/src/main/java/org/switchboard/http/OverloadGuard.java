package org.switchboard.http;

import java.util.Optional;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.client.AriLoad;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.http.api.CallModel.Load;
import org.switchboard.http.api.MetricsRegistry;

/**
 * Admission control at the StasisStart door. Every {@code check-interval} it reads the node's
 * measures (ARI round trip of the commands completed since the last check, 1 s at least while a
 * command is pending longer, pending ARI commands, TwiML requests awaiting the application, ARI
 * events awaiting their calls); when
 * one passes its limit the node sheds: {@link ActiveCalls#shed} makes every new call get the
 * configured answer at once (busy, reject or a short {@code <Say>}) while live calls go on. It
 * admits again only after every measure stayed below its limit times {@code resume-ratio} for
 * {@code resume-after}, so a load near a limit does not flap. Read on the scheduler's thread;
 * {@link #load()} may be read from anywhere.
 */
public final class OverloadGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OverloadGuard.class);

  private final OverloadSettings settings;
  private final ActiveCalls calls;
  private final AriLoad ari;
  private final IntSupplier webhookBacklog;
  private final IntSupplier eventBacklog;
  private volatile boolean shedding;
  /** The ARI round trip the last check saw, in milliseconds. */
  private volatile double latencyMs;
  /** When the measures last went below the resume level while shedding (nanoTime), or -1. */
  private long calmSince = -1;
  private Cancellable task;

  OverloadGuard(
      OverloadSettings settings, ActiveCalls calls, AriLoad ari, IntSupplier webhookBacklog) {
    this(settings, calls, ari, webhookBacklog, () -> 0);
  }

  /**
   * A guard that also reads {@code eventBacklog}: ARI events routed to calls and not yet taken
   * by them (a backlog there delays every live call's next step).
   */
  OverloadGuard(OverloadSettings settings, ActiveCalls calls, AriLoad ari,
      IntSupplier webhookBacklog, IntSupplier eventBacklog) {
    this.settings = settings;
    this.calls = calls;
    this.ari = ari;
    this.webhookBacklog = webhookBacklog;
    this.eventBacklog = eventBacklog;
  }

  /** Starts the periodic check on {@code system}'s scheduler (nothing when disabled). */
  void start(ActorSystem<?> system) {
    if (!settings.enabled()) {
      return;
    }
    task = system.scheduler().scheduleWithFixedDelay(settings.checkInterval(),
        settings.checkInterval(), () -> check(System.nanoTime()), system.executionContext());
  }

  void stop() {
    if (task != null) {
      task.cancel();
    }
  }

  /** One check at {@code nanoTime}: starts or stops shedding. */
  void check(long nanoTime) {
    int pending = ari.pending();
    // Commands that are not answered count with their age so far: a server that stopped
    // answering is slow even before the first command times out.
    double latencyMs = ari.pendingOlderThan(1) > 0
        ? Math.max(1000.0, ari.takeLatencyMillis()) : ari.takeLatencyMillis();
    this.latencyMs = latencyMs;
    int backlog = webhookBacklog.getAsInt();
    int events = eventBacklog.getAsInt();
    if (!shedding) {
      String over = over(latencyMs, pending, backlog, events, 1.0);
      if (over != null) {
        shedding = true;
        calmSince = -1;
        calls.shed(Optional.of(settings.policy()));
        LOG.warn("overloaded ({}): new calls are shed ({}) until the load falls", over,
            settings.policy().newCalls().name().toLowerCase(java.util.Locale.ROOT));
      }
      return;
    }
    if (over(latencyMs, pending, backlog, events, settings.resumeRatio()) != null) {
      calmSince = -1;
      return;
    }
    if (calmSince < 0) {
      calmSince = nanoTime;
    }
    if (nanoTime - calmSince >= settings.resumeAfter().toNanos()) {
      shedding = false;
      calls.shed(Optional.empty());
      LOG.warn("load is back down (ARI {} ms, {} pending, webhook backlog {}, event backlog {}):"
          + " new calls are admitted again; {} shed so far", Math.round(latencyMs), pending,
          backlog, events, calls.shedCount());
    }
  }

  /** The first measure above its limit times {@code ratio}, described; null when none is. */
  private String over(double latencyMs, int pending, int backlog, int events, double ratio) {
    if (latencyMs > settings.maxAriLatency().toMillis() * ratio) {
      return "ARI round trip " + Math.round(latencyMs) + " ms";
    }
    if (pending > settings.maxAriPending() * ratio) {
      return pending + " ARI commands pending";
    }
    if (backlog > settings.maxWebhookBacklog() * ratio) {
      return backlog + " TwiML requests awaiting the application";
    }
    if (events > settings.maxEventBacklog() * ratio) {
      return events + " ARI events awaiting their calls";
    }
    return null;
  }

  /** Registers the load's gauges in {@code /metrics}. */
  void register(MetricsRegistry registry) {
    registry.gauge("switchboard_overload_shedding",
        "1 while new calls are shed (admission control), else 0.", () -> shedding ? 1 : 0);
    registry.gauge("switchboard_overload_shed_calls",
        "New calls shed since the start (busy, reject or a short Say).", calls::shedCount);
    registry.gauge("switchboard_channels_up",
        "Channels Switchboard believes are up: live calls and legs, and hangups not confirmed.",
        calls::channelsUp);
    registry.gauge("switchboard_hangups_pending",
        "Channels whose hangup Switchboard decided and Asterisk has not confirmed yet.",
        calls::hangupsPending);
    registry.gauge("switchboard_ari_pending_commands",
        "ARI commands sent and not answered yet.", ari::pending);
    registry.gauge("switchboard_ari_stuck_commands",
        "ARI commands pending longer than switchboard.overload.stuck-after.",
        () -> ari.pendingOlderThan((int) settings.stuckAfter().toSeconds()));
    registry.gauge("switchboard_ari_unanswered_commands",
        "ARI commands that got no answer at all since the start (timeout, no connection): their"
            + " outcome is unknown until reconciled with Asterisk.", ari::unanswered);
    registry.gauge("switchboard_ari_round_trip_seconds",
        "Average ARI round trip at the last overload check.", () -> latencyMs / 1000.0);
    registry.gauge("switchboard_webhook_backlog",
        "TwiML requests sent to applications and not answered yet.", webhookBacklog::getAsInt);
    registry.gauge("switchboard_event_backlog",
        "ARI events routed to calls and not taken by them yet.", eventBacklog::getAsInt);
  }

  /** Whether new calls are shed now. */
  public boolean shedding() {
    return shedding;
  }

  /** The node's load as {@code /health} and {@code /metrics} show it. */
  public Load load() {
    return new Load(shedding, calls.shedCount(), calls.channelsUp(), calls.hangupsPending(),
        ari.pending(), ari.pendingOlderThan((int) settings.stuckAfter().toSeconds()),
        latencyMs, webhookBacklog.getAsInt(), eventBacklog.getAsInt());
  }

}
