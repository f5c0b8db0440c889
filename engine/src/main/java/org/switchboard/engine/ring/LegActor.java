package org.switchboard.engine.ring;

import org.switchboard.engine.protocol.AnsweredLegRunner;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.FailureBoundary;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.port.AriCommandException;
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
 * enters Stasis only once answered, so it is claimed ({@link
 * org.switchboard.engine.protocol.LegReport.LegAnswered}) on {@code StasisEntered}, when it can be
 * bridged.
 *
 * <p>Its protocol is the entity's ({@link CallCommand}) plus its own {@link Internal} messages
 * (port replies, timers). States: {@link #ringing} → {@link #awaitingStasis()} (answered, not yet
 * in Stasis) → {@link ConnectedLeg} (whisper, claimed, answer URL) → {@link #lingering()} → ended ({@link EntityEnd}:
 * passivating, trailing events acknowledged). A whisper ({@code onAnswer} with a parent) runs
 * before claiming, so a whisper that hangs up rejects only this leg (spec §4.7); a standalone leg
 * ({@code /ring}) claims, waits for {@link CallCommand.LegWon}, then runs {@code onAnswer} as its
 * own call (both via {@link AnsweredLegRunner}). A cancelled leg reports {@code canceled} ({@code
 * no-answer} on timeout), never {@code completed}, even when it answered in the same instant.
 * What it reports, and when, is {@link LegReports}'s.
 */
public final class LegActor {
  private static final Logger LOG = LoggerFactory.getLogger(LegActor.class);

  /** The leg's messages to itself: port replies and timers. They never leave their node. */
  sealed interface Internal extends CallCommand.Internal
      permits OriginateReplied, RingTimedOut, StasisGraceOver, UnbridgedTooLong, LingerOver,
          LegHangup.Result, LegHangup.Retry, LegResync.Checked, DetectingLeg.ContinueReplied,
          DetectingLeg.DetectionTimedOut {}

  record OriginateReplied(Optional<Throwable> error) implements Internal {}

  /** The ring timeout of the spec passed without an answer. */
  private record RingTimedOut() implements Internal {}

  /** Answered, but the channel did not enter Stasis within the grace. */
  private record StasisGraceOver() implements Internal {}

  /** Claimed, but nobody bridged it within the unbridged timeout. */
  record UnbridgedTooLong() implements Internal {}

  /** The channel's end did not come within the linger time after the hangup. */
  record LingerOver() implements Internal {}

  enum Timer { RING, STASIS, UNBRIDGED, LINGER, AMD }

  /** Failures after which the leg stops without lingering. */
  private static final int MAX_FAULTS = 5;

  /**
   * A leg ringing: the last {@code Dial.dialstatus} seen that does not end it at once ({@code
   * NOANSWER}, {@code CANCEL}), which decides the status when the channel is destroyed with no
   * cause.
   */
  private record Ringing(Optional<String> lastDialStatus) {}

  private final ActorContext<CallCommand> context;
  private final TimerScheduler<CallCommand> timers;
  private final String callSid;
  private final LegSpec spec;
  private final ChannelRef channel;
  private final AriPort ari;

  /** Gap and tone length of {@code SendDigits}, as the {@code <Number sendDigits>} of a Dial. */
  private static final int SEND_DIGITS_GAP_MS = 100;

  private static final int SEND_DIGITS_DURATION_MS = 100;
  private final LegSettings settings;
  private final EntityEnd end;
  private final LegReports reports;
  private final LegHangup hangups;
  private final LegResync resync;
  private final ConnectedLeg connected;
  private final DetectingLeg detecting;
  /** When the leg answered, while its answer is not reported until detection says human. */
  private Optional<java.time.Instant> unreportedAnswer = Optional.empty();
  /** Failures caught by the {@link FailureBoundary} so far. */
  private int faults;

  private LegActor(
      ActorContext<CallCommand> context,
      TimerScheduler<CallCommand> timers,
      String callSid,
      LegSpec spec,
      org.apache.pekko.actor.typed.ActorRef<LegReport> reportTo,
      Optional<LegRecord> stored,
      AriPort ari,
      WebhookPort webhooks,
      LegSettings settings,
      AnsweredLegRunner runner,
      LegObserver observer,
      EntityEnd end) {
    this.context = context;
    this.timers = timers;
    this.callSid = callSid;
    this.spec = spec;
    this.channel = new ChannelRef(spec.serverId(), spec.channelId());
    this.ari = ari;
    this.settings = settings;
    this.end = end;
    LegCallbacks callbacks = new LegCallbacks(callSid, spec, webhooks, settings);
    this.reports = stored
        .map(r -> new LegReports(r, reportTo, callbacks, observer, settings.clock()))
        .orElseGet(() -> new LegReports(callSid, spec, reportTo, callbacks, observer,
            settings.clock()));
    reports.keepIn(LegDurability.of(context, callSid));
    this.hangups = new LegHangup(context, ari, channel, callSid);
    this.resync = new LegResync(context, ari, channel, callSid, settings.clock());
    this.connected = new ConnectedLeg(this, context, timers, callSid, spec, settings, runner, end,
        reports, hangups);
    this.detecting = new DetectingLeg(this, context, timers, callSid, spec, ari, webhooks, settings,
        reports, hangups, connected, end);
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
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new LegActor(
                            ctx, timers, legCallSid, start.spec(), start.reportTo(),
                            Optional.empty(), ari, webhooks, settings, runner, observer, end)
                        .guarded()));
  }

  /**
   * The leg entity {@code legCallSid} taken back by its dial after a restart ({@link
   * CallCommand.ResumeLeg}): its state is read from the store and its channel from Asterisk
   * ({@link ResumedLeg}), then it goes on without originating or reporting anything again.
   */
  public static Behavior<CallCommand> resume(
      String legCallSid,
      CallCommand.ResumeLeg resume,
      AriPort ari,
      WebhookPort webhooks,
      LegSettings settings,
      AnsweredLegRunner runner,
      LegObserver observer,
      EntityEnd end) {
    return ResumedLeg.create(legCallSid, resume, ari, end, (stored, channel) ->
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
          LegActor leg = new LegActor(ctx, timers, legCallSid, resume.spec(), resume.reportTo(),
              Optional.of(stored), ari, webhooks, settings, runner, observer, end);
          return FailureBoundary.guard(CallCommand.class, leg::onFailure,
              leg.resumed(channel, resume.won()));
        })));
  }

  /**
   * Resumed from {@code stored} state with Asterisk's view of the channel: a channel gone ends
   * the leg ({@code completed} if it had answered, else {@code no-answer}); an answered standalone
   * leg that ran its answer URL (a REST call, a {@code /ring}'s winner) resumes that TwiML ({@link
   * ConnectedLeg#resumedTwiml}); another answered one is
   * bridged already ({@code won}: {@link ConnectedLeg#resumedBridged}) or is claimed now, so its
   * group decides (a leg answered while no node ran); a ringing one rings on for the rest of its
   * timeout.
   */
  private Behavior<CallCommand> resumed(Optional<ChannelEvent.ChannelInfo> found, boolean won) {
    hangups.originateReplied();
    java.time.Instant now = settings.clock().instant();
    LOG.info("leg {} resumed after a restart: channel {}", callSid,
        found.map(ChannelEvent.ChannelInfo::state).orElse("gone"));
    if (found.isEmpty()) {
      reports.channelGone(now);
      if (spec.standalone() && reports.answeredAt().isPresent()) {
        connected.discardTwiml();
      }
      if (reports.answeredAt().isPresent()) {
        reports.answeredEnd(now);
      } else {
        reports.ended(DialStatuses.NO_ANSWER, 0, Optional.empty());
      }
      return end.end(context);
    }
    if ("Up".equals(found.get().state())) {
      boolean ranTwiml = spec.standalone() && spec.onAnswer().isPresent()
          && reports.answeredAt().isPresent()
          && (won || spec.parentCallSid().isEmpty());
      if (ranTwiml) {
        return connected.resumedTwiml();
      }
      if (won) {
        return connected.resumedBridged();
      }
      reports.answered(now);
      return inStasis();
    }
    long left = spec.timeoutSeconds()
        - Duration.between(reports.record().startTime(), now).toSeconds();
    timers.startSingleTimer(Timer.RING, new RingTimedOut(), Duration.ofSeconds(Math.max(1, left)));
    return ringing(new Ringing(Optional.empty()));
  }

  /** Originates behind the leg's {@link FailureBoundary}: every failure goes to {@link #onFailure}. */
  private Behavior<CallCommand> guarded() {
    Behavior<CallCommand> first;
    try {
      first = originate();
    } catch (RuntimeException e) {
      first = onFailure(e, spec);
    }
    return FailureBoundary.guard(CallCommand.class, this::onFailure, first);
  }

  /**
   * A failure inside the leg (or its answered TwiML, once handed back), logged at ERROR: the
   * channel is hung up, the group and the status callback hear the proper final status ({@code
   * completed} once answered, else {@code failed}) unless they already did, and the leg lingers
   * for the channel's end. A leg failing again and again stops at once.
   */
  private Behavior<CallCommand> onFailure(RuntimeException error, Object message) {
    faults++;
    LOG.error("leg {} failed while handling {} (failure {} of this leg): {}", callSid,
        FailureBoundary.describe(message), faults, error.toString(), error);
    attempt("hangup", () -> hangups.send(HangupReason.NORMAL));
    attempt("final report", reports::failed);
    return faults > MAX_FAULTS ? end.end(context) : lingering();
  }

  private void attempt(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("leg {}: {} failed after a failure: {}", callSid, what, e.toString(), e);
    }
  }

  private Behavior<CallCommand> originate() {
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
        ari.originate(request), (ok, error) -> new OriginateReplied(Optional.ofNullable(error)));
    reports.initiated();
    timers.startSingleTimer(
        Timer.RING, new RingTimedOut(), Duration.ofSeconds(spec.timeoutSeconds()));
    return ringing(new Ringing(Optional.empty()));
  }

  /**
   * Originated, not answered. Waits for {@code Dial} progress, {@code StasisEntered}, {@code
   * ChannelDestroyed}, {@link CallCommand.CancelLeg}; the RING timer (ring timeout) runs. Goes to
   * {@link #awaitingStasis()} on an answer outside Stasis, {@link ConnectedLeg#answered()} on {@code
   * StasisEntered}, {@link #lingering()} when it is stopped or busy.
   */
  private Behavior<CallCommand> ringing(Ringing ringing) {
    return common(false)
        .onMessage(CallCommand.Deliver.class, d -> onRingingEvent(d, ringing))
        .onMessage(CallCommand.CancelLeg.class, c -> cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> cancel(LegCancelCause.REQUESTED))
        .onMessage(OriginateReplied.class, this::onOriginated)
        .onMessage(RingTimedOut.class, t -> onRingTimeout())
        .build();
  }

  private Behavior<CallCommand> onRingingEvent(CallCommand.Deliver deliver, Ringing ringing) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.DialProgress progress) {
      return onDialProgress(progress, status -> ringing(new Ringing(Optional.of(status))));
    }
    if (event instanceof ChannelEvent.StasisEntered entered) {
      markAnswered(entered);
      return inStasis();
    }
    if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      reports.channelGone(destroyed.timestamp());
      String status = DialStatuses.unanswered(ringing.lastDialStatus(), destroyed.cause());
      reports.ended(status, 0, DialStatuses.sipCode(destroyed.cause()));
      return end.end(context);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onRingTimeout() {
    LOG.debug("{} ring timeout", callSid);
    return cancel(LegCancelCause.TIMEOUT);
  }

  /**
   * Answered ({@code Dial} status {@code ANSWER}) but not yet in Stasis, so it cannot be bridged.
   * Waits for {@code StasisEntered} ({@link ConnectedLeg#answered()}), {@code ChannelDestroyed} or {@link
   * CallCommand.CancelLeg}; the STASIS timer gives the leg up ({@code failed}) if Stasis never
   * comes.
   */
  private Behavior<CallCommand> awaitingStasis() {
    timers.startSingleTimer(Timer.STASIS, new StasisGraceOver(), settings.stasisGrace());
    return common(false)
        .onMessage(CallCommand.Deliver.class, this::onAnsweredOutsideStasisEvent)
        .onMessage(CallCommand.CancelLeg.class, c -> cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> cancel(LegCancelCause.REQUESTED))
        .onMessage(OriginateReplied.class, this::onOriginated)
        .onMessage(StasisGraceOver.class, t -> onStasisGraceOver())
        .build();
  }

  private Behavior<CallCommand> onAnsweredOutsideStasisEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.DialProgress progress) {
      return onDialProgress(progress, status -> Behaviors.same());
    }
    if (event instanceof ChannelEvent.StasisEntered) {
      return inStasis();
    }
    if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      reports.channelGone(destroyed.timestamp());
      if (unreportedAnswer.isPresent()) {
        reports.ended(DialStatuses.NO_ANSWER, 0, Optional.empty());
      } else {
        reports.answeredEnd(destroyed.timestamp());
      }
      return end.end(context);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onStasisGraceOver() {
    LOG.warn("{} answered but never entered Stasis; giving it up", callSid);
    hangups.send(HangupReason.NORMAL);
    reports.ended(DialStatuses.FAILED, 0, Optional.empty());
    return lingering();
  }

  /** Answered and in Stasis: answering machine detection first when asked for, else connected. */
  private Behavior<CallCommand> inStasis() {
    spec.sendDigits().ifPresent(digits -> {
      LOG.debug("{} answered: sending digits {}", callSid, digits);
      ari.sendDtmf(channel, digits, SEND_DIGITS_GAP_MS, SEND_DIGITS_DURATION_MS)
          .whenComplete((done, error) -> {
            if (error != null) {
              LOG.warn("{}: SendDigits {} failed: {}", callSid, digits, error.getMessage());
            }
          });
    });
    if (spec.machineDetection().isPresent()) {
      return detecting.detect(unreportedAnswer.or(reports::answeredAt)
          .orElseGet(() -> settings.clock().instant()));
    }
    return connected.answered(Optional.empty());
  }

  Behavior<CallCommand> onOriginated(OriginateReplied result) {
    hangups.originateReplied();
    if (result.error().isEmpty()) {
      return Behaviors.same();
    }
    Throwable error = result.error().get();
    LOG.warn("{} originate to {} failed: {}", callSid, spec.endpoint(), error.getMessage());
    reports.ended(DialStatuses.FAILED, 0, Optional.empty());
    if (AriCommandException.outcomeUnknown(error)) {
      hangUpUncertainChannel();
      return lingering();
    }
    return end.end(context);
  }

  /**
   * The originate got no answer, so Asterisk may still create the channel: it is hung up (retried
   * until Asterisk confirms, 404 included) and the leg lingers meanwhile; a channel created after
   * that is hung up when its StasisStart reaches the ended leg's entity ({@code CallEntity}).
   */
  private void hangUpUncertainChannel() {
    LOG.warn("{} originate of {} got no answer: hanging the channel up in case Asterisk created it",
        callSid, channel);
    if (!hangups.unconfirmed()) {
      hangups.send(HangupReason.NORMAL);
    }
  }

  /**
   * {@code Dial} progress of a leg not yet in Stasis; {@code noted} is where a {@code NOANSWER} or
   * {@code CANCEL} status goes (it decides a later cause-less end).
   */
  private Behavior<CallCommand> onDialProgress(
      ChannelEvent.DialProgress progress, Function<String, Behavior<CallCommand>> noted) {
    String status = progress.dialStatus();
    switch (status) {
      case "RINGING", "PROGRESS" -> {
        reports.ringing();
        return Behaviors.same();
      }
      case "ANSWER" -> {
        markAnswered(progress);
        return awaitingStasis();
      }
      case "BUSY", "CONGESTION", "CHANUNAVAIL" -> {
        String twilio = DialStatuses.terminalDialStatus(status).orElseThrow();
        Optional<Integer> sip = DialStatuses.sipCodeForDialStatus(status);
        hangups.send(HangupReason.NORMAL);
        reports.ended(twilio, 0, sip);
        return lingering();
      }
      case "NOANSWER", "CANCEL" -> {
        return noted.apply(status);
      }
      default -> {
        return Behaviors.same();
      }
    }
  }

  private void markAnswered(ChannelEvent answer) {
    timers.cancel(Timer.RING);
    if (detecting.defersAnswer()) {
      unreportedAnswer = unreportedAnswer.or(() -> Optional.of(answer.timestamp()));
    } else {
      reports.answered(answer.timestamp());
    }
  }

  /** Stops the leg for {@code cause}: {@code canceled}, or {@code no-answer} on a timeout. */
  Behavior<CallCommand> cancel(LegCancelCause cause) {
    HangupReason reason = DialStatuses.hangupReason(cause);
    String status = DialStatuses.cancelStatus(cause);
    LOG.debug("{} cancelled ({}), reporting {}", callSid, cause, status);
    hangups.send(reason);
    reports.ended(status, 0, Optional.empty());
    return lingering();
  }

  /**
   * The final report is sent; the channel is hung up or going. Absorbs trailing events until
   * {@code ChannelDestroyed} or the LINGER timer, then stops.
   */
  Behavior<CallCommand> lingering() {
    timers.cancelAll();
    timers.startSingleTimer(Timer.LINGER, new LingerOver(), settings.linger());
    return common(true)
        .onMessage(CallCommand.Deliver.class, this::onLingeringEvent)
        .onMessage(CallCommand.CancelLeg.class, c -> Behaviors.same())
        .onMessage(CallCommand.HangUp.class, h -> Behaviors.same())
        .onMessage(OriginateReplied.class, this::onLateOriginate)
        .onMessage(LingerOver.class, t -> lingerOver())
        .build();
  }

  /** LINGER is over: the leg ends, unless its hangup is not confirmed yet (then it lingers on). */
  private Behavior<CallCommand> lingerOver() {
    if (hangups.unconfirmed()) {
      LOG.debug("{} hangup not confirmed yet; lingering on", callSid);
      timers.startSingleTimer(Timer.LINGER, new LingerOver(), settings.linger());
      return Behaviors.same();
    }
    return end.end(context);
  }

  /** Channel gone: linger while a dial session still tears its bridge down (else a caller is left in it). */
  Behavior<CallCommand> stopOnceChildrenAreDone() {
    return context.getChildren().iterator().hasNext() ? lingering() : end.end(context);
  }

  private Behavior<CallCommand> onLingeringEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    if (deliver.event() instanceof ChannelEvent.StasisEntered && !hangups.unconfirmed()
        && !hangups.hungUp()) {
      // The leg is over, yet its channel is up: an originate Asterisk carried out late (a
      // channel Asterisk confirmed hanging up is gone: its StasisStart was sent before that).
      LOG.warn("{} channel {} entered Stasis after its leg ended: hanging it up", callSid, channel);
      hangups.send(HangupReason.NORMAL);
      return Behaviors.same();
    }
    if (deliver.event() instanceof ChannelEvent.ChannelDestroyed destroyed) {
      reports.channelGone(destroyed.timestamp());
      return stopOnceChildrenAreDone();
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onLateOriginate(OriginateReplied result) {
    hangups.originateReplied();
    if (result.error().isPresent() && AriCommandException.outcomeUnknown(result.error().get())) {
      hangUpUncertainChannel();
      return Behaviors.same();
    }
    return result.error().isPresent() ? end.end(context) : Behaviors.same();
  }

  /** What every state answers; {@code inStasis} tells a resync whether Stasis was seen. */
  BehaviorBuilder<CallCommand> common(boolean inStasis) {
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.GetSnapshot.class, this::onGetSnapshot)
        .onMessage(
            CallCommand.ServerResynced.class, r -> resync.onServerResynced(r, resyncState(inStasis)))
        .onMessage(LegResync.Checked.class, c -> resync.onChecked(c, resyncState(inStasis)))
        .onMessage(LegHangup.Result.class, r -> ignoring(() -> hangups.onResult(r)))
        .onMessage(LegHangup.Retry.class, r -> ignoring(() -> hangups.send(r.reason())))
        .onMessage(CallCommand.StartLeg.class, s -> ignoring(() -> warn("second StartLeg ignored")))
        .onMessage(CallCommand.ResumeLeg.class, this::onTakenBack)
        .onMessage(CallCommand.Redirect.class, r -> ignoring(() -> warn("no script: Redirect ignored")));
  }

  /**
   * The leg's dial took it back while the leg ran on (the dial's node died or left, and the dial
   * started again on another node): the leg reports to the dial's new group from now on, and tells
   * it where it stands ({@link LegReports#retarget}).
   */
  private Behavior<CallCommand> onTakenBack(CallCommand.ResumeLeg resume) {
    if (reports.retarget(resume.reportTo(), resume.won())) {
      LOG.info("leg {}: taken back by its dial, which runs again on another node", callSid);
    }
    return Behaviors.same();
  }

  private LegResync.LegState resyncState(boolean inStasis) {
    return new LegResync.LegState(hangups.originatePending(), reports.ended(),
        reports.answeredAt().isPresent(), inStasis);
  }

  private Behavior<CallCommand> ignoring(Runnable action) {
    action.run();
    return Behaviors.same();
  }

  private void warn(String what) {
    LOG.warn("leg {}: {}", callSid, what);
  }

  private Behavior<CallCommand> onGetSnapshot(CallCommand.GetSnapshot get) {
    get.replyTo().tell(reports.snapshot());
    return Behaviors.same();
  }
}
