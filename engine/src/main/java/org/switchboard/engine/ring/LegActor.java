package org.switchboard.engine.ring;

import org.switchboard.engine.protocol.AnsweredLegRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.FailureBoundary;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.AnsweredLegRunner.AnsweredLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour of a call entity claimed by {@link CallCommand.StartLeg}: one outbound leg.
 *
 * <p>It originates with {@code POST /channels} (not create+dial): a cancelled or failed leg then
 * still reports its outcome as {@code Dial} events (ARI-NOTES point 4, transcripts 04/04b/05). It
 * enters Stasis only once answered, so it is claimed ({@link LegReport.LegAnswered}) on {@code
 * StasisEntered}, when it can be bridged.
 *
 * <p>States: {@link #ringing()} → {@link #connected()} (claimed) → {@link #lingering()} → ended
 * ({@link EntityEnd}: passivating, trailing events acknowledged).
 * A whisper ({@code onAnswer} with a parent) runs before claiming, so a whisper that hangs up
 * rejects only this leg (spec §4.7); a standalone leg ({@code /ring}) claims, waits for {@link
 * CallCommand.LegWon}, then runs {@code onAnswer} as its own call (both via {@link
 * AnsweredLegRunner}). A cancelled leg reports {@code canceled} ({@code no-answer} on timeout),
 * never {@code completed}, even when it answered in the same instant.
 */
public final class LegActor {
  private static final Logger LOG = LoggerFactory.getLogger(LegActor.class);

  private enum Timer { RING, STASIS, UNBRIDGED, LINGER }

  /** Failures after which the leg stops without lingering. */
  private static final int MAX_FAULTS = 5;

  private record OriginateResult(Optional<Throwable> error) {}

  private record HangupResult(HangupReason reason, Optional<Throwable> error) implements LegHangup.Result {}

  private record TimerFired(Timer timer) {}

  private final ActorContext<Object> context;
  private final TimerScheduler<Object> timers;
  private final String callSid;
  private final LegSpec spec;
  private final ChannelRef channel;
  private final ActorRef<LegReport> reportTo;
  private final AriPort ari;
  private final LegSettings settings;
  private final AnsweredLegRunner runner;
  private final LegCallbacks callbacks;
  private final LegObserver observer;
  private final EntityEnd end;
  private final Instant startTime;

  private final LegHangup hangups;
  private final LegResync resync;
  private boolean ringReported;
  private Optional<String> lastDialStatus = Optional.empty();
  private Instant answeredAt;
  private boolean inStasis;
  private boolean bridged;
  /** A standalone leg that answered and waits for {@link CallCommand.LegWon} to run its TwiML. */
  private AnsweredLeg awaitingVerdict;
  private Optional<String> finalStatus = Optional.empty();
  private Instant endTime;
  /** Failures caught by the {@link FailureBoundary} so far. */
  private int faults;

  private LegActor(
      ActorContext<Object> context,
      TimerScheduler<Object> timers,
      String callSid,
      CallCommand.StartLeg start,
      AriPort ari,
      WebhookPort webhooks,
      LegSettings settings,
      AnsweredLegRunner runner,
      LegObserver observer,
      EntityEnd end) {
    this.context = context;
    this.timers = timers;
    this.callSid = callSid;
    this.spec = start.spec();
    this.channel = new ChannelRef(spec.serverId(), spec.channelId());
    this.reportTo = start.reportTo();
    this.ari = ari;
    this.settings = settings;
    this.runner = runner;
    this.callbacks = new LegCallbacks(callSid, spec, webhooks, settings);
    this.observer = observer;
    this.end = end;
    this.hangups = new LegHangup(context, ari, channel, callSid, HangupResult::new);
    this.startTime = settings.clock().instant();
    this.resync = new LegResync(context, ari, channel, callSid, settings.clock(),
        () -> new LegResync.LegState(hangups.originatePending(), finalStatus.isPresent(),
            answeredAt != null, inStasis));
  }

  /**
   * The leg entity {@code legCallSid} after {@code start}: originates at once and reports to
   * {@code start.reportTo()}.
   */
  public static Behavior<CallCommand> create(
      String legCallSid,
      CallCommand.StartLeg start,
      AriPort ari,
      WebhookPort webhooks,
      LegSettings settings,
      AnsweredLegRunner runner) {
    return create(legCallSid, start, ari, webhooks, settings, runner, LegObserver.NONE,
        EntityEnd.STOP);
  }

  /**
   * As the six-argument form; {@code observer} hears of the answer and gets the leg's final
   * snapshot (call history) when its final report goes out, inside the actor; {@code end} ends
   * the entity (passivation).
   */
  public static Behavior<CallCommand> create(
      String legCallSid,
      CallCommand.StartLeg start,
      AriPort ari,
      WebhookPort webhooks,
      LegSettings settings,
      AnsweredLegRunner runner,
      LegObserver observer,
      EntityEnd end) {
    Behavior<Object> behavior =
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers ->
                        new LegActor(
                                ctx, timers, legCallSid, start, ari, webhooks, settings, runner,
                                observer, end)
                            .guarded()));
    return behavior.narrow();
  }

  /** Originates behind the leg's {@link FailureBoundary}: every failure goes to {@link #onFailure}. */
  private Behavior<Object> guarded() {
    Behavior<Object> first;
    try {
      first = originate();
    } catch (RuntimeException e) {
      first = onFailure(e, spec);
    }
    return FailureBoundary.guard(Object.class, this::onFailure, first);
  }

  /**
   * A failure inside the leg (or its answered TwiML, once handed back), logged at ERROR: the
   * channel is hung up, the group and the status callback hear the proper final status ({@code
   * completed} once answered, else {@code failed}) unless they already did, and the leg lingers
   * for the channel's end. A leg failing again and again stops at once.
   */
  private Behavior<Object> onFailure(RuntimeException error, Object message) {
    faults++;
    LOG.error("leg {} failed while handling {} (failure {} of this leg): {}", callSid,
        FailureBoundary.describe(message), faults, error.toString(), error);
    attempt("hangup", () -> hangup(HangupReason.NORMAL));
    if (finalStatus.isEmpty()) {
      attempt("final report", () -> {
        if (answeredAt != null) {
          reportAnsweredEnd(settings.clock().instant());
        } else {
          reportFinal(DialStatuses.FAILED, 0, Optional.empty());
        }
      });
    }
    return faults > MAX_FAULTS ? end.end(context) : lingering();
  }

  private void attempt(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("leg {}: {} failed after a failure: {}", callSid, what, e.toString(), e);
    }
  }

  private Behavior<Object> originate() {
    LOG.debug("{} originating {} via {}", callSid, spec.target(), spec.endpoint());
    int timeout = spec.timeoutSeconds() + (int) settings.originateGrace().toSeconds();
    AriPort.OriginateRequest request =
        new AriPort.OriginateRequest(
            spec.serverId(),
            spec.channelId(),
            spec.endpoint(),
            spec.callerId(),
            timeout,
            null,
            "dial-leg," + callSid,
            spec.variables());
    context.pipeToSelf(
        ari.originate(request), (ok, error) -> new OriginateResult(Optional.ofNullable(error)));
    callbacks.initiated();
    timers.startSingleTimer(
        Timer.RING, new TimerFired(Timer.RING), Duration.ofSeconds(spec.timeoutSeconds()));
    return ringing();
  }

  /**
   * Originated, not yet answered or answered but not yet in Stasis. Waits for {@code Dial}
   * progress, {@code StasisEntered}, {@code ChannelDestroyed}, {@link CallCommand.CancelLeg}; the
   * RING timer (ring timeout) and STASIS timer (answered, not in Stasis) run here.
   */
  private Behavior<Object> ringing() {
    return common()
        .onMessage(CallCommand.Deliver.class, this::onRingingEvent)
        .onMessage(CallCommand.CancelLeg.class, c -> cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> cancel(LegCancelCause.REQUESTED))
        .onMessage(OriginateResult.class, this::onOriginated)
        .onMessage(TimerFired.class, this::onRingingTimer)
        .build();
  }

  private Behavior<Object> onOriginated(OriginateResult result) {
    hangups.originateReplied();
    if (result.error().isEmpty()) {
      return Behaviors.same();
    }
    Throwable error = result.error().get();
    LOG.warn("{} originate to {} failed: {}", callSid, spec.endpoint(), error.getMessage());
    reportFinal(DialStatuses.FAILED, 0, Optional.empty());
    return end.end(context);
  }

  private Behavior<Object> onRingingTimer(TimerFired fired) {
    if (fired.timer() == Timer.RING && answeredAt == null) {
      LOG.debug("{} ring timeout", callSid);
      return cancel(LegCancelCause.TIMEOUT);
    }
    if (fired.timer() == Timer.STASIS) {
      LOG.warn("{} answered but never entered Stasis; giving it up", callSid);
      hangup(HangupReason.NORMAL);
      reportFinal(DialStatuses.FAILED, 0, Optional.empty());
      return lingering();
    }
    return Behaviors.same();
  }

  private Behavior<Object> onRingingEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.DialProgress progress) {
      return onDialProgress(progress);
    }
    if (event instanceof ChannelEvent.StasisEntered entered) {
      inStasis = true;
      if (answeredAt == null) {
        markAnswered(entered.timestamp());
      }
      return answered();
    }
    if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      endTime = destroyed.timestamp();
      if (answeredAt != null) {
        reportAnsweredEnd(destroyed.timestamp());
      } else {
        String status = DialStatuses.unanswered(lastDialStatus, destroyed.cause());
        reportFinal(status, 0, DialStatuses.sipCode(destroyed.cause()));
      }
      return end.end(context);
    }
    return Behaviors.same();
  }

  private Behavior<Object> onDialProgress(ChannelEvent.DialProgress progress) {
    String status = progress.dialStatus();
    switch (status) {
      case "RINGING", "PROGRESS" -> {
        if (!ringReported) {
          ringReported = true;
          reportTo.tell(new LegReport.LegRinging(callSid));
          callbacks.ringing();
        }
        return Behaviors.same();
      }
      case "ANSWER" -> {
        if (answeredAt == null) {
          markAnswered(progress.timestamp());
        }
        if (inStasis) {
          return answered();
        }
        timers.startSingleTimer(Timer.STASIS, new TimerFired(Timer.STASIS), settings.stasisGrace());
        return Behaviors.same();
      }
      case "BUSY", "CONGESTION", "CHANUNAVAIL" -> {
        lastDialStatus = Optional.of(status);
        String twilio = DialStatuses.terminalDialStatus(status).orElseThrow();
        Optional<Integer> sip = DialStatuses.sipCodeForDialStatus(status);
        hangup(HangupReason.NORMAL);
        reportFinal(twilio, 0, sip);
        return lingering();
      }
      case "NOANSWER", "CANCEL" -> {
        lastDialStatus = Optional.of(status);
        return Behaviors.same();
      }
      default -> {
        return Behaviors.same();
      }
    }
  }

  private void markAnswered(Instant at) {
    answeredAt = at;
    timers.cancel(Timer.RING);
    callbacks.answered();
    observer.answered();
  }

  /** Answered and in Stasis: run a whisper first, or claim the leg. */
  private Behavior<Object> answered() {
    timers.cancel(Timer.STASIS);
    timers.cancel(Timer.RING);
    AnsweredLeg leg = new AnsweredLeg(callSid, channel, spec, answeredAt);
    if (spec.onAnswer().isPresent() && !spec.standalone()) {
      LOG.debug("{} answered; running whisper before claiming", callSid);
      return runner.runTwiml(leg, end -> afterWhisper(end).narrow()).unsafeCast();
    }
    reportTo.tell(new LegReport.LegAnswered(callSid, channel));
    if (spec.onAnswer().isPresent() && spec.parentCallSid().isEmpty()) {
      return runAnswerUrl(leg);
    }
    awaitingVerdict = spec.onAnswer().isPresent() ? leg : null;
    timers.startSingleTimer(
        Timer.UNBRIDGED, new TimerFired(Timer.UNBRIDGED), settings.unbridgedTimeout());
    return connected();
  }

  private Behavior<Object> afterWhisper(AnsweredLegRunner.TwimlEnd end) {
    if (end instanceof AnsweredLegRunner.Finished) {
      reportTo.tell(new LegReport.LegAnswered(callSid, channel));
      timers.startSingleTimer(
          Timer.UNBRIDGED, new TimerFired(Timer.UNBRIDGED), settings.unbridgedTimeout());
      return connected();
    }
    return afterAnswerUrl(end);
  }

  private Behavior<Object> afterAnswerUrl(AnsweredLegRunner.TwimlEnd end) {
    if (end instanceof AnsweredLegRunner.Interrupted interrupted) {
      return onInterrupted(interrupted.command());
    }
    hangup(HangupReason.NORMAL);
    reportAnsweredEnd(settings.clock().instant());
    return lingering();
  }

  private Behavior<Object> onInterrupted(CallCommand command) {
    if (command instanceof CallCommand.CancelLeg cancel) {
      return cancel(cancel.cause());
    }
    if (command instanceof CallCommand.Deliver deliver) {
      deliver.ack().tell(Done.getInstance());
      if (deliver.event() instanceof ChannelEvent.ChannelDestroyed destroyed) {
        reportAnsweredEnd(destroyed.timestamp());
        return stopOnceChildrenAreDone();
      }
      if (deliver.event() instanceof ChannelEvent.StasisLeft left) {
        reportAnsweredEnd(left.timestamp());
        return lingering();
      }
    }
    if (!(command instanceof CallCommand.HangUp)) {
      LOG.warn("{} TwiML interrupted by unexpected {}; hanging up", callSid, command);
    }
    hangup(HangupReason.NORMAL);
    reportAnsweredEnd(settings.clock().instant());
    return lingering();
  }

  /**
   * Claimed: {@link LegReport.LegAnswered} was sent. Waits to be bridged ({@code EnteredBridge}),
   * for the channel to end, for {@link CallCommand.HangUp}, or for {@link CallCommand.CancelLeg}
   * (it lost the race, or the parent went away before the bridge). UNBRIDGED guards a leg nobody
   * bridges; LINGER guards a hangup whose {@code ChannelDestroyed} never comes.
   */
  private Behavior<Object> connected() {
    return common()
        .onMessage(CallCommand.Deliver.class, this::onConnectedEvent)
        .onMessage(
            CallCommand.CancelLeg.class,
            c -> bridged ? hangupAnswered() : cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> hangupAnswered())
        .onMessage(CallCommand.LegWon.class, w -> awaitingVerdict == null ? Behaviors.same() : runAnswerUrl(awaitingVerdict))
        .onMessage(TimerFired.class, this::onConnectedTimer)
        .build();
  }

  /** A standalone leg runs its answer URL as its own call (after the group's verdict, if any). */
  private Behavior<Object> runAnswerUrl(AnsweredLeg leg) {
    awaitingVerdict = null;
    timers.cancel(Timer.UNBRIDGED);
    return runner.runTwiml(leg, end -> afterAnswerUrl(end).narrow()).unsafeCast();
  }

  private Behavior<Object> onConnectedEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.EnteredBridge) {
      bridged = true;
      timers.cancel(Timer.UNBRIDGED);
    } else if (event instanceof ChannelEvent.LeftBridge) {
      bridged = false;
      timers.startSingleTimer(
          Timer.UNBRIDGED, new TimerFired(Timer.UNBRIDGED), settings.unbridgedTimeout());
    } else if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      endTime = destroyed.timestamp();
      reportAnsweredEnd(destroyed.timestamp());
      return end.end(context);
    } else if (event instanceof ChannelEvent.StasisLeft left) {
      reportAnsweredEnd(left.timestamp());
      return lingering();
    }
    return Behaviors.same();
  }

  private Behavior<Object> onConnectedTimer(TimerFired fired) {
    if (fired.timer() == Timer.UNBRIDGED) {
      LOG.warn("{} answered but not bridged in time; hanging up", callSid);
      return hangupAnswered();
    }
    if (fired.timer() == Timer.LINGER) {
      reportAnsweredEnd(settings.clock().instant());
      return hangups.unconfirmed() ? lingering() : end.end(context);
    }
    return Behaviors.same();
  }

  private Behavior<Object> hangupAnswered() {
    timers.cancel(Timer.UNBRIDGED);
    hangup(HangupReason.NORMAL);
    timers.startSingleTimer(Timer.LINGER, new TimerFired(Timer.LINGER), settings.linger());
    return Behaviors.same();
  }

  /** Stops the leg for {@code cause}: {@code canceled}, or {@code no-answer} on a timeout. */
  private Behavior<Object> cancel(LegCancelCause cause) {
    HangupReason reason = DialStatuses.hangupReason(cause);
    String status = DialStatuses.cancelStatus(cause);
    LOG.debug("{} cancelled ({}), reporting {}", callSid, cause, status);
    hangup(reason);
    reportFinal(status, 0, Optional.empty());
    return lingering();
  }

  /**
   * The final report is sent; the channel is hung up or going. Absorbs trailing events until
   * {@code ChannelDestroyed} or the LINGER timer, then stops.
   */
  private Behavior<Object> lingering() {
    timers.cancelAll();
    timers.startSingleTimer(Timer.LINGER, new TimerFired(Timer.LINGER), settings.linger());
    return common()
        .onMessage(CallCommand.Deliver.class, this::onLingeringEvent)
        .onMessage(CallCommand.CancelLeg.class, c -> Behaviors.same())
        .onMessage(CallCommand.HangUp.class, h -> Behaviors.same())
        .onMessage(OriginateResult.class, this::onLateOriginate)
        .onMessage(TimerFired.class,
            t -> t.timer() == Timer.LINGER ? lingerOver() : Behaviors.same())
        .build();
  }

  /** LINGER is over: the leg ends, unless its hangup is not confirmed yet (then it lingers on). */
  private Behavior<Object> lingerOver() {
    if (hangups.unconfirmed()) {
      LOG.debug("{} hangup not confirmed yet; lingering on", callSid);
      timers.startSingleTimer(Timer.LINGER, new TimerFired(Timer.LINGER), settings.linger());
      return Behaviors.same();
    }
    return end.end(context);
  }

  /** Channel gone: linger while a dial session still tears its bridge down (else a caller is left in it). */
  private Behavior<Object> stopOnceChildrenAreDone() {
    return context.getChildren().iterator().hasNext() ? lingering() : end.end(context);
  }

  private Behavior<Object> onLingeringEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    if (deliver.event() instanceof ChannelEvent.ChannelDestroyed destroyed) {
      endTime = destroyed.timestamp();
      return stopOnceChildrenAreDone();
    }
    return Behaviors.same();
  }

  private Behavior<Object> onLateOriginate(OriginateResult result) {
    hangups.originateReplied();
    return result.error().isPresent() ? end.end(context) : Behaviors.same();
  }

  private void hangup(HangupReason reason) {
    hangups.send(reason);
  }

  private void reportAnsweredEnd(Instant end) {
    long seconds = answeredAt == null ? 0 : Duration.between(answeredAt, end).toSeconds();
    reportFinal(DialStatuses.COMPLETED, (int) Math.max(0, seconds), Optional.empty());
  }

  private void reportFinal(String status, int durationSeconds, Optional<Integer> sipCode) {
    if (finalStatus.isPresent()) {
      return;
    }
    finalStatus = Optional.of(status);
    if (endTime == null) {
      endTime = settings.clock().instant();
    }
    LOG.debug("{} ended {} after {}s", callSid, status, durationSeconds);
    reportTo.tell(new LegReport.LegEnded(callSid, status, durationSeconds, sipCode));
    attempt("final status callback", () -> callbacks.completed(status, durationSeconds, sipCode));
    attempt("final snapshot",
        () -> observer.ended(LegSnapshots.of(callSid, spec, status, startTime, answeredAt, endTime)));
  }

  private BehaviorBuilder<Object> common() {
    return Behaviors.receive(Object.class)
        .onMessage(CallCommand.GetSnapshot.class, this::onGetSnapshot)
        .onMessage(CallCommand.ServerResynced.class, resync::onServerResynced)
        .onMessage(LegResync.Checked.class, resync::onChecked)
        .onMessage(HangupResult.class, r -> ignoring(() -> hangups.onResult(r)))
        .onMessage(LegHangup.Retry.class, r -> ignoring(() -> hangups.send(r.reason())))
        .onMessage(CallCommand.StartLeg.class, s -> ignoring(() -> warn("second StartLeg ignored")))
        .onMessage(CallCommand.Redirect.class, r -> ignoring(() -> warn("no script: Redirect ignored")));
  }

  private Behavior<Object> ignoring(Runnable action) {
    action.run();
    return Behaviors.same();
  }

  private void warn(String what) {
    LOG.warn("leg {}: {}", callSid, what);
  }

  private Behavior<Object> onGetSnapshot(CallCommand.GetSnapshot get) {
    String status =
        finalStatus.orElse(answeredAt != null ? "in-progress" : ringReported ? "ringing" : "initiated");
    Instant end = finalStatus.isPresent() ? endTime : null;
    get.replyTo().tell(LegSnapshots.of(callSid, spec, status, startTime, answeredAt, end));
    return Behaviors.same();
  }
}
