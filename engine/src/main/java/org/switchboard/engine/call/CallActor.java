package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.FailureBoundary;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ConfirmedHangup;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.ScriptInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.CallEvent;

/**
 * One inbound call: its script ({@link ScriptRunner}) runs while the call lives ({@link
 * #running()}); once it ended the call sends its final status callback, hangs its channel up and
 * waits for Asterisk to confirm ({@link #tearingDown()}), then for its children ({@link
 * #awaitingChildren()}), and ends its entity ({@link EntityEnd}). Every port future comes back
 * through {@code pipeToSelf}; the CallSid is in the MDC of every log line. The TwiML of an answered
 * outbound leg runs in {@link LegTwiml} ({@link #forLeg}), on the same runner.
 */
public final class CallActor implements ScriptRunner.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(CallActor.class);

  /** Failures after which the call stops even if its teardown keeps failing. */
  private static final int MAX_FAULTS = 10;

  /** The call's own messages to itself during its teardown. */
  private sealed interface Teardown extends CallCommand.Internal
      permits TeardownDone, HangupRetry, ChildrenGraceOver, ChildrenGone {}

  /** Asterisk confirmed the teardown hangup (or the channel was already gone). */
  private record TeardownDone() implements Teardown {}

  /** The teardown hangup is sent again: it failed, or no answer came within its grace. */
  private record HangupRetry() implements Teardown {}

  /** The children (dial sessions, memberships) did not stop within the teardown grace. */
  private record ChildrenGraceOver() implements Teardown {}

  /** Every child stopped, and what they sent before stopping was handled. */
  private record ChildrenGone() implements Teardown {}

  private enum TimerKey {
    TEARDOWN,
    CHILDREN
  }

  private final ActorContext<CallCommand> ctx;
  private final TimerScheduler<CallCommand> timers;
  private final CallServices services;
  private final String callSid;
  private final ChannelRef channel;
  private final EntityEnd end;
  private final ScriptRunner runner;
  /** The call's channel is known gone: no hangup is sent for it. */
  private boolean channelGone;
  /** The teardown hangup, sent again until Asterisk confirms it (made by {@link #hangup()}). */
  private ConfirmedHangup hangup;

  private CallActor(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      CallServices services,
      String callSid,
      CallStart start,
      EntityEnd end,
      Optional<CallCheckpoints> store,
      Optional<CallCheckpoint> resumed) {
    this.ctx = ctx;
    this.timers = timers;
    this.services = services;
    this.callSid = callSid;
    this.channel = start.channel();
    this.end = end;
    this.runner = new ScriptRunner(ctx, timers, services, callSid, start, store, resumed);
    CallParams params = start.params();
    services.activeCalls().register(callSid, ctx.getSelf());
    if (resumed.isPresent()) {
      LOG.info("inbound call on {} from {} to {} resumed from its checkpoint ({})", channel,
          params.from(), params.to(), resumed.get().script().awaiting().getClass().getSimpleName());
      return;
    }
    LOG.info("inbound call on {} from {} to {}", channel, params.from(), params.to());
    Instant now = services.clock().instant();
    runner.status().progress(CallEvent.INITIATED, CallStatus.INITIATED, now);
    runner.status().progress(CallEvent.RINGING, CallStatus.RINGING, now);
  }

  /**
   * An inbound call that starts on {@code entered}; {@code end} passivates its entity when the
   * call is over ({@link EntityEnd#STOP} outside sharding).
   */
  public static Behavior<CallCommand> create(
      String callSid,
      ChannelEvent.StasisEntered entered,
      CallServices services,
      EntityEnd end) {
    return create(callSid, entered, services, end, Optional.empty());
  }

  /** As {@link #create}, writing the call's checkpoints to {@code store}. */
  static Behavior<CallCommand> create(
      String callSid,
      ChannelEvent.StasisEntered entered,
      CallServices services,
      EntityEnd end,
      Optional<CallCheckpoints> store) {
    return inbound(callSid, CallStart.inbound(callSid, entered, services), services, end, store,
        Optional.empty());
  }

  /**
   * The call of {@code checkpoint} going on after a restart of its node: no initiated or ringing
   * callback again, the script resumes at its verb ({@link ScriptInput.Resumed}).
   */
  static Behavior<CallCommand> resume(
      CallCheckpoint checkpoint,
      CallServices services,
      EntityEnd end,
      Optional<CallCheckpoints> store) {
    CallStart start = new CallStart(checkpoint.channel(), checkpoint.params(),
        checkpoint.application(), new ScriptInput.Resumed(), checkpoint.answeredAt());
    return inbound(checkpoint.callSid(), start, services, end, store, Optional.of(checkpoint));
  }

  /**
   * An inbound call on {@code entered} that runs {@code twiml} instead of requesting its
   * application's voice URL (status callbacks and fallback stay the application's).
   */
  static Behavior<CallCommand> createInline(
      String callSid,
      ChannelEvent.StasisEntered entered,
      CallServices services,
      EntityEnd end,
      String twiml) {
    CallStart start = CallStart.inbound(callSid, entered, services);
    return inbound(callSid, start.withInlineTwiml(twiml), services, end, Optional.empty(),
        Optional.empty());
  }

  private static Behavior<CallCommand> inbound(
      String callSid, CallStart start, CallServices services, EntityEnd end,
      Optional<CallCheckpoints> store, Optional<CallCheckpoint> resumed) {
    return Behaviors.withMdc(
        CallCommand.class,
        Map.of("CallSid", callSid),
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers ->
                        new CallActor(ctx, timers, services, callSid, start, end, store, resumed)
                            .running(start.begin()))));
  }

  /**
   * The TwiML ({@code leg.spec().onAnswer()}) of an answered outbound leg, run in the leg's
   * entity; when the script is over the behaviour becomes {@code then.apply(end)} (see {@link
   * AnsweredLegRunner} for the contract).
   */
  static Behavior<CallCommand> forLeg(
      AnsweredLegRunner.AnsweredLeg leg,
      Function<AnsweredLegRunner.TwimlEnd, Behavior<CallCommand>> then,
      CallServices services) {
    return LegTwiml.create(leg, then, services);
  }

  /**
   * The call lives: its script runs ({@link ScriptRunner#running}), behind the call's {@link
   * FailureBoundary} (failures go to {@link #onFailure}). Goes to {@link #tearingDown()} when the
   * script hangs up, the caller hangs up, the channel vanishes, a REST hangup arrives or
   * MAX_DURATION fires.
   */
  private Behavior<CallCommand> running(ScriptInput begin) {
    return runner.start(this, this::onFailure, begin);
  }

  @Override
  public boolean endsOn(ChannelEvent event) {
    return true;
  }

  /** The script hung up: the call tears down. */
  @Override
  public Behavior<CallCommand> scriptOver() {
    return beginTeardown();
  }

  /** The call ends from outside the script: the script learns it, then teardown. */
  @Override
  public Behavior<CallCommand> ended(CallEnd callEnd) {
    if (callEnd.command() instanceof CallCommand.Deliver deliver) {
      deliver.ack().tell(Done.getInstance());
    }
    EndCause cause = callEnd.cause();
    LOG.debug("call ends: {}", cause);
    channelGone |= cause.channelGone();
    runner.endFromOutside(cause.finalStatus(
        runner.answered(), services.settings().unansweredHangupStatus()));
    return beginTeardown();
  }

  @Override
  public Behavior<CallCommand> onCancelLeg(CallCommand.CancelLeg cancel) {
    LOG.warn("CancelLeg sent to a call that is not a ringing leg; ignored");
    return Behaviors.same();
  }

  /**
   * The call is over: each step runs on its own (one that fails is logged and the others still
   * run), so the final callback is sent and the channel hung up whatever else goes wrong.
   */
  private Behavior<CallCommand> beginTeardown() {
    Instant now = services.clock().instant();
    timers.cancelAll();
    runner.release(now);
    runner.attempt("checkpoint", runner::forgetCheckpoint);
    runner.attempt("final status callback",
        () -> runner.status().completed(runner.finalStatus(), now, runner.answeredAt()));
    if (!channelGone) {
      services.activeCalls().hangupPending(callSid);
    }
    runner.attempt("active calls", () -> services.activeCalls().unregister(callSid));
    runner.attempt("call history", () -> services.history().record(runner.snapshot()));
    LOG.info("call ended: {} ({})", runner.finalStatus(), runner.hangupReason().wire());
    return hangUpChannel();
  }

  /**
   * Hangs the channel up (unless it is known gone) and waits in {@link #tearingDown()} for the
   * confirmation; TEARDOWN sends the hangup again if no answer comes within the teardown grace.
   */
  private Behavior<CallCommand> hangUpChannel() {
    if (channelGone) {
      ctx.getSelf().tell(new TeardownDone());
      return tearingDown();
    }
    ctx.pipeToSelf(hangup().send(runner.hangupReason()), (ok, err) ->
        err != null ? new ScriptRunner.AriFailed("hangup", err, true) : new TeardownDone());
    timers.startSingleTimer(TimerKey.TEARDOWN, new HangupRetry(),
        services.settings().teardownGrace().plus(ConfirmedHangup.backoff(hangup().failures())));
    return tearingDown();
  }

  /** The teardown hangup, made when the call first hangs up: a live call keeps none. */
  private ConfirmedHangup hangup() {
    if (hangup == null) {
      hangup = ConfirmedHangup.of(services.ari(), channel, ctx);
    }
    return hangup;
  }

  /**
   * The call is over: cleanup commands are out, the final callback sent. Waits for the channel
   * hangup to complete (or TEARDOWN to fire), acknowledging and ignoring late events, then goes
   * to {@link #awaitingChildren()}.
   */
  private Behavior<CallCommand> tearingDown() {
    LOG.debug("call {} -> tearingDown", callSid);
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onTeardownEvent)
        .onMessage(CallCommand.GetSnapshot.class, runner::onSnapshot)
        .onMessage(TeardownDone.class, m -> awaitingChildren())
        .onMessage(HangupRetry.class, m -> hangUpChannel())
        .onMessage(ScriptRunner.AriFailed.class, this::onTeardownFailure)
        .onMessage(CallCommand.DialFinished.class, this::onDialFinishedAfterHangup)
        .onMessage(CallCommand.class, m -> Behaviors.same())
        .build();
  }

  /** A {@code ChannelDestroyed} of the call's channel confirms the teardown, as a hangup reply. */
  private Behavior<CallCommand> onTeardownEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    runner.offerBridgeEventToStopped(deliver.event());
    boolean destroyed = deliver.event() instanceof ChannelEvent.ChannelDestroyed d
        && d.channelId().filter(channel.channelId()::equals).isPresent();
    return destroyed && !channelGone ? confirmedGone() : Behaviors.same();
  }

  private Behavior<CallCommand> confirmedGone() {
    channelGone = true;
    return awaitingChildren();
  }

  /**
   * The call is not over while its channel is up: a teardown hangup that failed is sent again
   * (backoff from 1 s to 30 s) until Asterisk confirms it, or answers 404 (the channel is gone).
   */
  private Behavior<CallCommand> onTeardownFailure(ScriptRunner.AriFailed failed) {
    Throwable error = Failures.cause(failed.error());
    boolean notFound = error instanceof AriCommandException ace && ace.isNotFound();
    if (!failed.operation().equals("hangup")) {
      if (!notFound) {
        LOG.warn("ARI {} failed during teardown: {}", failed.operation(), error.getMessage());
      }
      return Behaviors.same();
    }
    ActorRef<CallCommand> self = ctx.getSelf();
    if (!(hangup().answered(failed.error(), () -> self.tell(new HangupRetry()))
        instanceof ConfirmedHangup.Failed again)) {
      return confirmedGone();
    }
    timers.cancel(TimerKey.TEARDOWN); // the attempt after the backoff replaces the no-answer one
    LOG.error("call {}: teardown hangup of {} failed ({}); retrying in {}", callSid, channel,
        error.getMessage(), again.retryIn());
    return Behaviors.same();
  }

  /**
   * The channel is gone: waits for the call's children (dial sessions, memberships) to stop, at
   * most the teardown grace (CHILDREN), acknowledging late events, then ends the entity.
   */
  private Behavior<CallCommand> awaitingChildren() {
    timers.cancelAll();
    if (hangup != null) {
      hangup.stop();
    }
    services.activeCalls().hangupConfirmed(callSid);
    ctx.getChildren().forEach(ctx::watch);
    if (ctx.getChildren().isEmpty()) {
      ctx.getSelf().tell(new ChildrenGone());
    } else {
      timers.startSingleTimer(
          TimerKey.CHILDREN, new ChildrenGraceOver(), services.settings().teardownGrace());
    }
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::ackOnly)
        .onMessage(CallCommand.GetSnapshot.class, runner::onSnapshot)
        .onMessage(CallCommand.DialFinished.class, this::onDialFinishedAfterHangup)
        .onMessage(ChildrenGraceOver.class, m -> stopped())
        .onMessage(ChildrenGone.class, m -> stopped())
        .onMessage(CallCommand.class, m -> Behaviors.same())
        .onSignal(Terminated.class, t -> onChildStopped())
        .build();
  }

  /**
   * A child stopped. Its last report (a dial's {@link CallCommand.DialFinished}) may still be in
   * the mailbox behind the signal, so the end goes through the mailbox too ({@link ChildrenGone}).
   */
  private Behavior<CallCommand> onChildStopped() {
    if (ctx.getChildren().isEmpty()) {
      ctx.getSelf().tell(new ChildrenGone());
    }
    return Behaviors.same();
  }

  /** The dial the caller hung up on reported: its action is requested (spec §4.6). */
  private Behavior<CallCommand> onDialFinishedAfterHangup(CallCommand.DialFinished finished) {
    runner.attempt("dial action after hangup",
        () -> runner.afterHangup(new ScriptInput.DialEnded(finished.params())));
    return Behaviors.same();
  }

  private Behavior<CallCommand> stopped() {
    timers.cancelAll();
    LOG.debug("call {} -> stopped", callSid);
    // Its channel is gone (awaitingChildren comes after the hangup's confirmation): the events
    // that still trail it are acknowledged by the event sink, not by a fresh entity.
    services.activeCalls().ended(callSid);
    return end.end(ctx);
  }

  private Behavior<CallCommand> ackOnly(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    runner.offerBridgeEventToStopped(deliver.event());
    return Behaviors.same();
  }

  /**
   * A failure inside the call, caught by its {@link FailureBoundary}: the runner's error path
   * while the script runs ({@link ScriptRunner#onFailure}), else {@link #lastResort()}.
   */
  private Behavior<CallCommand> onFailure(RuntimeException error, Object message) {
    return runner.onFailure(error, message, this, this::lastResort);
  }

  /**
   * The call ends at once, without the script: it sends its final callback (if not yet sent) and
   * hangs up until Asterisk confirms. Past {@link #MAX_FAULTS} failures the call's own behaviour
   * gives way to a bare {@link ChannelHangup}, so a failing teardown cannot loop forever and the
   * channel is still hung up until Asterisk confirms.
   */
  private Behavior<CallCommand> lastResort() {
    if (runner.faults() > MAX_FAULTS) {
      LOG.error("call {}: {} failures; only hanging {} up now", callSid, runner.faults(),
          channel);
      timers.cancelAll();
      runner.attempt("active calls", () -> services.activeCalls().unregister(callSid));
      return ChannelHangup.create(callSid, channel, HangupReason.NORMAL, services, end);
    }
    if (!runner.released()) {
      runner.forceEnd(runner.answered() ? CallStatus.COMPLETED : CallStatus.FAILED,
          HangupReason.NORMAL);
      return beginTeardown();
    }
    return hangUpChannel();
  }
}
