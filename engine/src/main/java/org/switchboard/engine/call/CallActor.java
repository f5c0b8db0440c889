package org.switchboard.engine.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.ring.AnsweredLegRunner;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.script.ScriptInput;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.ScriptTimer;
import org.switchboard.engine.script.TwimlInterpreter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's script: the only place its effects run. It feeds ARI events, port results, timers and
 * REST commands to the {@link TwimlInterpreter} and runs the effects that come back ({@link
 * CallEffects}). Two situations: {@link #running()} while the call lives, {@link #tearingDown()}
 * once it ended. Every port future comes back through {@code pipeToSelf}; the CallSid is in the
 * MDC of every log line.
 *
 * <p>It runs either an inbound call ({@link #create}) or the TwiML of an answered outbound leg
 * ({@link #forLeg}). A leg's script never hangs up, reports status or passivates: when it is over
 * the entity goes back to the leg ({@link AnsweredLegRunner} contract), which does all three.
 *
 * <p>Events of the call's own channel (DTMF, bridge membership, hangup) and of its bridges ({@code
 * <CallSid>-br-…}) are also offered to the running delegations ({@link Delegation#onEvent}).
 */
public final class CallActor {
  private static final Logger LOG = LoggerFactory.getLogger(CallActor.class);

  /** A script input produced by a port result or a timer. */
  record Input(ScriptInput input) implements CallCommand.Internal {}

  /** Media for a playback is ready to play. */
  record MediaResolved(String playbackId, List<String> media) implements CallCommand.Internal {}

  /** An ARI command failed; {@code channelScoped} when it addressed the call's channel. */
  record AriFailed(String operation, Throwable error, boolean channelScoped)
      implements CallCommand.Internal {}

  /** An ARI command without a script outcome completed. */
  private record Completed(String operation) implements CallCommand.Internal {}

  private record MaxDurationReached() implements CallCommand.Internal {}

  private record TeardownDone() implements CallCommand.Internal {}

  /** The teardown hangup is sent again: it failed, or no answer came within its grace. */
  private record HangupRetry() implements CallCommand.Internal {}

  private record ChildrenGraceOver() implements CallCommand.Internal {}

  /** Failures that still take the error path; later ones end the call at once. */
  private static final int MAX_ERROR_PATHS = 2;
  /** Failures after which the call stops even if its teardown keeps failing. */
  private static final int MAX_FAULTS = 10;

  private enum TimerKey {
    MAX_DURATION,
    TEARDOWN,
    CHILDREN
  }

  final ActorContext<CallCommand> ctx;
  final TimerScheduler<CallCommand> timers;
  final CallServices services;
  final String callSid;
  final ChannelRef channel;
  final CallParams params;
  private final TwimlInterpreter interpreter;
  private final StatusReporter status;
  private final CallEffects effects;
  private final EntityEnd end;
  private final Instant startTime;
  private final CallStart start;
  private final CallResync resync = new CallResync(this);

  ScriptState script;
  Optional<Instant> answeredAt = Optional.empty();
  final Set<String> pendingPlaybacks = new HashSet<>();
  final Set<String> livePlaybacks = new HashSet<>();
  final Set<String> liveRecordings = new HashSet<>();
  final Map<String, Delegation> delegations = new HashMap<>();
  /**
   * Delegations stopped by the call's end: a dial still ending (stopping its bridge recording)
   * hears its bridge's events, such as {@code RecordingFinished}, while the call tears down.
   */
  private final List<Delegation> stoppedDelegations = new ArrayList<>();
  private boolean channelGone;
  private boolean ending;
  private String finalStatus = "completed";
  private HangupReason hangupReason = HangupReason.NORMAL;
  private Optional<Instant> endTime = Optional.empty();
  private boolean childrenAwaited;
  /** Failures caught by the {@link FailureBoundary} so far. */
  private int faults;
  /** Teardown hangups that failed so far (for the retry backoff). */
  private int hangupFailures;
  /** A leg's TwiML gave the entity back: later failures belong to the leg. */
  private boolean handedBack;

  private CallActor(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      CallServices services,
      String callSid,
      CallStart start,
      EntityEnd end) {
    this.ctx = ctx;
    this.timers = timers;
    this.services = services;
    this.callSid = callSid;
    this.start = start;
    this.channel = start.channel();
    this.params = start.params();
    this.interpreter =
        new TwimlInterpreter(services.settings().script().withClock(services.clock()));
    this.end = end;
    this.startTime = services.clock().instant();
    this.script = ScriptState.initial(callSid);
    this.status = new StatusReporter(services.webhooks(), start.application(), params);
    this.effects = new CallEffects(this);
    timers.startSingleTimer(
        TimerKey.MAX_DURATION, new MaxDurationReached(), services.settings().maxCallDuration());
    if (start.isLeg()) {
      LOG.info("answered leg {} to {} runs its TwiML", channel, params.to());
      answeredAt = start.answeredAt();
    } else {
      LOG.info("inbound call on {} from {} to {}", channel, params.from(), params.to());
      services.activeCalls().register(callSid, ctx.getSelf());
      status.progress("initiated", "initiated", startTime);
      status.progress("ringing", "ringing", startTime);
    }
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
    return inbound(callSid, CallStart.inbound(callSid, entered, services), services, end);
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
    return inbound(callSid, start.withInlineTwiml(twiml), services, end);
  }

  private static Behavior<CallCommand> inbound(
      String callSid, CallStart start, CallServices services, EntityEnd end) {
    return Behaviors.withMdc(
        CallCommand.class,
        Map.of("CallSid", callSid),
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> new CallActor(ctx, timers, services, callSid, start, end).initial())));
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
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new CallActor(
                            ctx, timers, services, leg.callSid(),
                            CallStart.leg(leg, then, services), EntityEnd.STOP)
                        .initial()));
  }

  /**
   * Starts the script and puts the call behind its {@link FailureBoundary}: from here on a failure
   * anywhere in the call goes to {@link #onFailure}.
   */
  private Behavior<CallCommand> initial() {
    Behavior<CallCommand> first;
    try {
      if (start.isLeg()) {
        apply(new ScriptInput.Answered());
      }
      apply(start.begin());
      first = ending ? scriptOver() : running();
    } catch (RuntimeException e) {
      Behavior<CallCommand> next = onFailure(e, start.begin());
      first = next == Behaviors.<CallCommand>same() ? running() : next;
    }
    return FailureBoundary.guard(CallCommand.class, this::onFailure, first);
  }

  /**
   * The call lives: events, port results, timers and REST commands step the script. Timers: the
   * script's ({@code ScriptTimer}) and MAX_DURATION. Goes to {@link #tearingDown()} when the
   * script hangs up, the caller hangs up, the channel vanishes or a REST hangup arrives.
   */
  private Behavior<CallCommand> running() {
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onDeliver)
        .onMessage(Input.class, m -> step(m.input()))
        .onMessage(MediaResolved.class, this::onMediaResolved)
        .onMessage(AriFailed.class, this::onAriFailed)
        .onMessage(Completed.class, m -> Behaviors.same())
        .onMessage(MaxDurationReached.class, m -> onMaxDuration())
        .onMessage(CallCommand.HangUp.class, this::onHangUp)
        .onMessage(CallCommand.Redirect.class, this::onRedirect)
        .onMessage(CallCommand.GetSnapshot.class, this::onSnapshot)
        .onMessage(CallCommand.DialFinished.class, m -> {
          delegations.remove(CallEffects.CALL_DELEGATE);
          return step(new ScriptInput.DialEnded(m.params()));
        })
        .onMessage(CallCommand.QueueWaiting.class, m -> step(new ScriptInput.Queued(m.params())))
        .onMessage(CallCommand.QueueDequeued.class, m -> step(new ScriptInput.Dequeued(m.params())))
        .onMessage(CallCommand.QueueLeft.class, this::onQueueLeft)
        .onMessage(CallCommand.StreamClosed.class, m -> step(new ScriptInput.ConnectEnded(m.params())))
        .onMessage(CallCommand.Reconcile.class, m -> Behaviors.same())
        .onMessage(CallCommand.ServerResynced.class, resync::onServerResynced)
        .onMessage(CallResync.Checked.class, resync::onChecked)
        .onMessage(CallResync.Accepted.class, resync::onAccepted)
        .onMessage(CallCommand.StartLeg.class, m -> ignored("StartLeg"))
        .onMessage(CallCommand.CancelLeg.class, this::onCancelLeg)
        .build();
  }

  /**
   * The call is over: cleanup commands are out, the final callback sent. Waits for the channel
   * hangup to complete (or TEARDOWN to fire), acknowledging and ignoring late events, then stops.
   */
  private Behavior<CallCommand> tearingDown() {
    LOG.debug("call {} -> tearingDown", callSid);
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onTeardownEvent)
        .onMessage(CallCommand.GetSnapshot.class, this::onSnapshot)
        .onMessage(TeardownDone.class, m -> finished())
        .onMessage(HangupRetry.class, m -> hangUpChannel())
        .onMessage(AriFailed.class, this::onTeardownFailure)
        .onMessage(CallCommand.class, m -> Behaviors.same())
        .build();
  }

  /** A {@code ChannelDestroyed} of the call's channel confirms the teardown, as a hangup reply. */
  private Behavior<CallCommand> onTeardownEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    offerBridgeEventToStopped(deliver.event());
    boolean destroyed = deliver.event() instanceof ChannelEvent.ChannelDestroyed d
        && d.channelId().filter(channel.channelId()::equals).isPresent();
    return destroyed && !channelGone ? confirmedGone() : Behaviors.same();
  }

  private Behavior<CallCommand> confirmedGone() {
    channelGone = true;
    return finished();
  }

  /**
   * The call is not over while its channel is up: a teardown hangup that failed is sent again
   * (backoff from 1 s to 30 s) until Asterisk confirms it, or answers 404 (the channel is gone).
   */
  private Behavior<CallCommand> onTeardownFailure(AriFailed failed) {
    Throwable error = Failures.cause(failed.error());
    boolean notFound = error instanceof AriCommandException ace && ace.isNotFound();
    if (!failed.operation().equals("hangup")) {
      if (!notFound) {
        LOG.warn("ARI {} failed during teardown: {}", failed.operation(), error.getMessage());
      }
      return Behaviors.same();
    }
    if (notFound) {
      return confirmedGone();
    }
    LOG.error("call {}: teardown hangup of {} failed ({}); retrying", callSid, channel,
        error.getMessage());
    retryHangupLater();
    return Behaviors.same();
  }

  private void retryHangupLater() {
    hangupFailures++;
    long seconds = Math.min(30, 1L << Math.min(5, hangupFailures - 1));
    timers.startSingleTimer(TimerKey.TEARDOWN, new HangupRetry(), java.time.Duration.ofSeconds(seconds));
  }

  private Behavior<CallCommand> finished() {
    timers.cancelAll();
    if (!childrenAwaited && !ctx.getChildren().isEmpty()) {
      childrenAwaited = true;
      ctx.getChildren().forEach(ctx::watch);
      timers.startSingleTimer(
          TimerKey.CHILDREN, new ChildrenGraceOver(), services.settings().teardownGrace());
      return Behaviors.receive(CallCommand.class)
          .onMessage(CallCommand.Deliver.class, this::ackOnly)
          .onMessage(CallCommand.GetSnapshot.class, this::onSnapshot)
          .onMessage(ChildrenGraceOver.class, m -> finished())
          .onMessage(CallCommand.class, m -> Behaviors.same())
          .onSignal(Terminated.class, t -> ctx.getChildren().isEmpty() ? finished() : Behaviors.same())
          .build();
    }
    LOG.debug("call {} -> stopped", callSid);
    return end.end(ctx);
  }

  private Behavior<CallCommand> onDeliver(CallCommand.Deliver deliver) {
    ChannelEvent event = deliver.event();
    boolean hangup = EventInputs.isHangup(event, channel.channelId());
    boolean legHandsBack =
        start.isLeg() && hangup && !(event instanceof ChannelEvent.HangupRequested);
    if (!legHandsBack) {
      deliver.ack().tell(Done.getInstance());
    }
    offerToDelegations(event);
    effects.track(event);
    resync.track(event);
    if (legHandsBack) {
      channelGone = true;
      LOG.info("answered leg hung up ({})", event.getClass().getSimpleName());
      return interrupted(deliver);
    }
    if (hangup && !start.isLeg()) {
      channelGone = true;
      LOG.info("caller hung up ({})", event.getClass().getSimpleName());
      return endFromOutside("caller hung up");
    }
    Optional<ScriptInput> input = EventInputs.toInput(event, channel.channelId());
    return input.map(this::step).orElseGet(Behaviors::same);
  }

  /** Offers the call's own channel events and its bridges' events to the running delegations. */
  private void offerToDelegations(ChannelEvent event) {
    if (delegations.isEmpty() || !EventInputs.concernsDelegates(event, channel.channelId(), callSid)) {
      return;
    }
    for (Delegation d : List.copyOf(delegations.values())) {
      d.onEvent(event);
    }
  }

  private Behavior<CallCommand> ackOnly(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    offerBridgeEventToStopped(deliver.event());
    return Behaviors.same();
  }

  /** An event of one of the call's bridges, after the call ended: to the ending delegations. */
  private void offerBridgeEventToStopped(ChannelEvent event) {
    if (event.bridgeId().filter(id -> id.startsWith(callSid + "-br-")).isPresent()) {
      stoppedDelegations.forEach(d -> d.onEvent(event));
    }
  }

  /** Steps the script with {@code input} and runs its effects. */
  Behavior<CallCommand> step(ScriptInput input) {
    apply(input);
    return ending ? scriptOver() : Behaviors.same();
  }

  /** The script hung up: an inbound call tears down, a leg's TwiML hands the entity back. */
  private Behavior<CallCommand> scriptOver() {
    if (!start.isLeg()) {
      return beginTeardown();
    }
    boolean ranOut = script.frame().map(f -> f.verb().isEmpty()).orElse(false);
    return handBack(ranOut ? new AnsweredLegRunner.Finished() : new AnsweredLegRunner.Rejected());
  }

  /** A leg's TwiML stops on {@code command}, which the leg handles (unacknowledged). */
  private Behavior<CallCommand> interrupted(CallCommand command) {
    apply(new ScriptInput.CallEnded(services.clock().instant()));
    return handBack(new AnsweredLegRunner.Interrupted(command));
  }

  private Behavior<CallCommand> handBack(AnsweredLegRunner.TwimlEnd end) {
    ending = true;
    endTime = Optional.of(services.clock().instant());
    timers.cancel(TimerKey.MAX_DURATION);
    for (ScriptTimer timer : ScriptTimer.values()) {
      timers.cancel(timer);
    }
    attempt("media release", this::releaseMedia);
    LOG.debug("leg TwiML over ({}); back to the leg", end.getClass().getSimpleName());
    handedBack = true;
    return start.handBack().orElseThrow().apply(end);
  }

  private void releaseMedia() {
    livePlaybacks.forEach(id -> services.ari().stopPlayback(channel.serverId(), id));
    liveRecordings.forEach(name -> services.ari().stopRecording(channel.serverId(), name));
    livePlaybacks.clear();
    liveRecordings.clear();
    pendingPlaybacks.clear();
    List.copyOf(delegations.values()).forEach(d -> d.stop("hangup"));
    stoppedDelegations.addAll(delegations.values());
    delegations.clear();
  }

  private void apply(ScriptInput input) {
    if (input instanceof ScriptInput.Answered && answeredAt.isEmpty()) {
      answeredAt = Optional.of(services.clock().instant());
      status.progress("answered", "in-progress", answeredAt.get());
    }
    TwimlInterpreter.Step step = interpreter.step(script, input);
    script = step.state();
    services.activeCalls().activity(callSid, CallActivity.of(script));
    for (CallEffect effect : step.effects()) {
      effects.run(effect);
    }
  }

  /** Called by {@link CallEffects} for {@code HangupCall}. */
  void scriptHangup(HangupReason reason, String status) {
    hangupReason = reason;
    finalStatus = status;
    ending = true;
  }

  private Behavior<CallCommand> onMediaResolved(MediaResolved m) {
    if (!pendingPlaybacks.remove(m.playbackId())) {
      return Behaviors.same();
    }
    livePlaybacks.add(m.playbackId());
    pipeAccepted(services.ari().play(channel, m.playbackId(), m.media()), "play", m.playbackId());
    return Behaviors.same();
  }

  private Behavior<CallCommand> onAriFailed(AriFailed failed) {
    Throwable error = Failures.cause(failed.error());
    if (error instanceof AriCommandException ace && ace.isNotFound()) {
      if (failed.channelScoped()) {
        channelGone = true;
        LOG.info("channel {} is gone ({}): ending the call", channel, failed.operation());
        return start.isLeg()
            ? interrupted(new CallCommand.HangUp("channel gone"))
            : endFromOutside("channel gone");
      }
      LOG.debug("{} found nothing to act on: {}", failed.operation(), error.getMessage());
      return Behaviors.same();
    }
    LOG.error("ARI {} failed: {}", failed.operation(), error.getMessage());
    return step(new ScriptInput.CommandFailed(failed.operation() + ": " + error.getMessage()));
  }

  private Behavior<CallCommand> onHangUp(CallCommand.HangUp hangUp) {
    LOG.info("hangup requested: {}", hangUp.reason());
    return start.isLeg() ? interrupted(hangUp) : endFromOutside("REST hangup: " + hangUp.reason());
  }

  private Behavior<CallCommand> onCancelLeg(CallCommand.CancelLeg cancel) {
    return start.isLeg() ? interrupted(cancel) : ignored("CancelLeg");
  }

  private Behavior<CallCommand> onMaxDuration() {
    return start.isLeg()
        ? interrupted(new CallCommand.HangUp("max call duration reached"))
        : endFromOutside("max call duration reached");
  }

  private Behavior<CallCommand> onRedirect(CallCommand.Redirect redirect) {
    if (redirect.url().isEmpty() == redirect.twiml().isEmpty()) {
      LOG.warn("redirect needs exactly one of url and twiml; ignored");
      return Behaviors.same();
    }
    LOG.info("redirect to {}", redirect.url().map(URI::toString).orElse("inline TwiML"));
    return step(new ScriptInput.RedirectRequested(redirect.url(), redirect.method(), redirect.twiml()));
  }

  private Behavior<CallCommand> onQueueLeft(CallCommand.QueueLeft left) {
    delegations.remove(CallEffects.QUEUE);
    return step(new ScriptInput.QueueExited(left.result(), left.params()));
  }

  private Behavior<CallCommand> onSnapshot(CallCommand.GetSnapshot get) {
    get.replyTo().tell(snapshot());
    return Behaviors.same();
  }

  private CallSnapshot snapshot() {
    return new CallSnapshot(callSid, params.parentCallSid(), channel, params.from(), params.to(),
        callStatus(), params.direction(), startTime, answeredAt, endTime);
  }

  private Behavior<CallCommand> ignored(String what) {
    LOG.warn("{} sent to a call that is not a ringing leg; ignored", what);
    return Behaviors.same();
  }

  /** The call ends from outside the script: the script learns it, then teardown. */
  private Behavior<CallCommand> endFromOutside(String why) {
    LOG.debug("call ends: {}", why);
    finalStatus = answeredAt.isPresent()
        ? "completed"
        : why.startsWith("REST") ? "canceled" : services.settings().unansweredHangupStatus();
    apply(new ScriptInput.CallEnded(services.clock().instant()));
    return beginTeardown();
  }

  /**
   * The call is over: each step runs on its own (one that fails is logged and the others still
   * run), so the final callback is sent and the channel hung up whatever else goes wrong.
   */
  private Behavior<CallCommand> beginTeardown() {
    ending = true;
    Instant now = services.clock().instant();
    endTime = Optional.of(now);
    timers.cancelAll();
    attempt("media release", this::releaseMedia);
    attempt("final status callback", () -> status.completed(finalStatus, now, answeredAt));
    attempt("active calls", () -> services.activeCalls().unregister(callSid));
    attempt("call history", () -> services.history().record(snapshot()));
    LOG.info("call ended: {} ({})", finalStatus, hangupReason.wire());
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
    try {
      ctx.pipeToSelf(services.ari().hangup(channel, hangupReason), (ok, err) -> {
        if (err != null) {
          return new AriFailed("hangup", err, true);
        }
        return new TeardownDone();
      });
      timers.startSingleTimer(
          TimerKey.TEARDOWN, new HangupRetry(), services.settings().teardownGrace());
    } catch (RuntimeException e) {
      LOG.error("call {}: teardown hangup of {} threw; retrying", callSid, channel, e);
      retryHangupLater();
    }
    return tearingDown();
  }

  /**
   * A failure inside the call, caught by its {@link FailureBoundary}: logged at ERROR with the
   * CallSid. A call whose script still runs takes the error path ({@link ScriptInput.Fault}:
   * fallback URL, else the error prompt, then hangup); a call already ending, one whose error path
   * failed too, or one failing again and again ends through {@link #lastResort()}. A leg's TwiML
   * that already gave the entity back passes the failure on to the leg.
   */
  private Behavior<CallCommand> onFailure(RuntimeException error, Object message) {
    if (handedBack) {
      throw error;
    }
    faults++;
    LOG.error("call {} failed while handling {} (failure {} of this call): {}", callSid,
        FailureBoundary.describe(message), faults, error.toString(), error);
    if (!ending && faults <= MAX_ERROR_PATHS && !script.finished()) {
      try {
        return step(new ScriptInput.Fault(error.toString()));
      } catch (RuntimeException again) {
        LOG.error("call {}: its error path failed too: {}", callSid, again.toString(), again);
      }
    }
    return lastResort();
  }

  /**
   * The call ends at once, without the script: a leg's TwiML hands the leg back as interrupted by
   * a hangup (the leg hangs up and reports); an inbound call sends its final callback (if not yet
   * sent) and hangs up until Asterisk confirms. Past {@link #MAX_FAULTS} failures it stops after
   * one more hangup, so a failing teardown cannot loop forever.
   */
  private Behavior<CallCommand> lastResort() {
    if (start.isLeg()) {
      return handBack(new AnsweredLegRunner.Interrupted(new CallCommand.HangUp("internal failure")));
    }
    if (faults > MAX_FAULTS) {
      LOG.error("call {}: {} failures; hanging {} up and stopping", callSid, faults, channel);
      attempt("last hangup", () -> services.ari().hangup(channel, HangupReason.NORMAL));
      return end.end(ctx);
    }
    if (endTime.isEmpty()) {
      finalStatus = answeredAt.isPresent() ? "completed" : "failed";
      hangupReason = HangupReason.NORMAL;
      return beginTeardown();
    }
    return hangUpChannel();
  }

  private void attempt(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("call {}: {} failed during teardown: {}", callSid, what, e.toString(), e);
    }
  }

  /** CallStatus for requests made now. */
  String callStatus() {
    if (endTime.isPresent() || ending) {
      return finalStatus;
    }
    return answeredAt.isPresent() ? "in-progress" : "ringing";
  }

  /** Pipes a channel-scoped ARI command: success becomes {@code onSuccess} (if any). */
  void pipeChannel(CompletionStage<?> stage, String operation, ScriptInput onSuccess) {
    pipe(stage, operation, onSuccess, true);
  }

  /** Pipes a channel-scoped start of playback or recording {@code id}: success marks it live. */
  void pipeAccepted(CompletionStage<?> stage, String operation, String id) {
    ctx.pipeToSelf(stage, (ok, err) ->
        err != null ? new AriFailed(operation, err, true) : new CallResync.Accepted(id));
  }

  void pipe(CompletionStage<?> stage, String operation, ScriptInput onSuccess, boolean channelOp) {
    ctx.pipeToSelf(stage, (ok, err) -> {
      if (err != null) {
        return new AriFailed(operation, err, channelOp);
      }
      return onSuccess == null ? new Completed(operation) : new Input(onSuccess);
    });
  }

  List<Map.Entry<String, String>> requestParams(List<Map.Entry<String, String>> extra) {
    List<Map.Entry<String, String>> all = new ArrayList<>(params.with(callStatus()));
    all.addAll(extra);
    return all;
  }
}
