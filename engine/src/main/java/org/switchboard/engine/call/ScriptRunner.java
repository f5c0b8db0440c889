package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.FailureBoundary;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.ScriptInput;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.ScriptTimer;
import org.switchboard.engine.script.TwimlInterpreter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.CallEvent;
import org.switchboard.engine.twiml.verb.Trim;

/**
 * One call's script, run inside the actor that owns the call: an inbound call ({@link CallActor})
 * or the TwiML of an answered leg ({@link LegTwiml}). It feeds ARI events, port results, timers
 * and REST commands to the {@link TwimlInterpreter}, has {@link CallEffects} run the effects that
 * come back, and records in its {@link CallReport} what the call reports (answer time, final
 * status, end time). How the call ends is its {@link Owner}'s: {@link #running} hands it the
 * script's hangup and every end from outside ({@link CallEnd}).
 *
 * <p>Events of the call's own channel (DTMF, bridge membership, hangup) and of its bridges ({@code
 * <CallSid>-br-…}) are also offered to the running delegations ({@link Delegation#onEvent}).
 */
final class ScriptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

  /** Failures that still take the error path; later ones end the call at once. */
  private static final int MAX_ERROR_PATHS = 2;

  /** A call's messages to itself (port results, timers); they never leave their node. */
  sealed interface Internal extends CallCommand.Internal
      permits Input, MediaResolved, AriFailed, Completed, MaxDurationReached,
          CallResync.Accepted, CallResync.Checked, CallEffects.Unconfirmed {}

  /** A script input produced by a port result or a timer. */
  record Input(ScriptInput input) implements Internal {}

  /** Media for a playback is ready to play. */
  record MediaResolved(String playbackId, List<String> media) implements Internal {}

  /** An ARI command failed; {@code channelScoped} when it addressed the call's channel. */
  record AriFailed(String operation, Throwable error, boolean channelScoped) implements Internal {}

  /** An ARI command without a script outcome completed. */
  record Completed(String operation) implements Internal {}

  /** The call reached its maximum duration. */
  record MaxDurationReached() implements Internal {}

  private enum TimerKey {
    MAX_DURATION
  }

  /** What the behaviour that owns the runner decides: how the call ends. */
  interface Owner {
    /** Whether the hangup event {@code event} of the call's own channel ends the call now. */
    boolean endsOn(ChannelEvent event);

    /** The script hung the call up ({@code <Hangup>}, {@code <Reject>}, end of document). */
    Behavior<CallCommand> scriptOver();

    /** The call ends from outside its script; the script has not learnt it yet. */
    Behavior<CallCommand> ended(CallEnd end);

    /** A ring group stops the call ({@link CallCommand.CancelLeg}). */
    Behavior<CallCommand> onCancelLeg(CallCommand.CancelLeg cancel);
  }

  private final TimerScheduler<CallCommand> timers;
  private final CallServices services;
  private final String callSid;
  private final ChannelRef channel;
  private final CallParams params;
  private final TwimlInterpreter interpreter;
  private final StatusReporter status;
  private final CallEffects effects;
  private final CallResync resync;
  private final CallReport report;
  private ScriptState script;
  /** Failures caught by the call's {@link FailureBoundary} so far. */
  private int faults;
  private final Checkpointing checkpointing;

  ScriptRunner(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      CallServices services,
      String callSid,
      CallStart start) {
    this(ctx, timers, services, callSid, start, Optional.empty(), Optional.empty());
  }

  /**
   * A runner whose script writes its checkpoints to {@code store} (none in memory mode), and
   * starts from {@code resumed} when the call goes on after a restart.
   */
  ScriptRunner(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      CallServices services,
      String callSid,
      CallStart start,
      Optional<CallCheckpoints> store,
      Optional<CallCheckpoint> resumed) {
    this.timers = timers;
    this.services = services;
    this.callSid = callSid;
    this.channel = start.channel();
    this.params = start.params();
    this.interpreter =
        new TwimlInterpreter(services.settings().script().withClock(services.clock()));
    Instant startTime =
        resumed.map(CallCheckpoint::startTime).orElseGet(() -> services.clock().instant());
    this.report = new CallReport(startTime, start.answeredAt());
    this.script = resumed.map(CallCheckpoint::script).orElseGet(() -> ScriptState.initial(callSid));
    this.status = new StatusReporter(services.webhooks(), start.application(), params);
    resumed.ifPresent(r -> status.continueAt(r.statusSequence()));
    this.checkpointing = new Checkpointing(store, callSid, start, startTime);
    this.effects =
        new CallEffects(ctx, timers, services, callSid, channel, params, this::callStatus);
    this.resync = new CallResync(ctx, services, channel, effects);
    timers.startSingleTimer(
        TimerKey.MAX_DURATION, new MaxDurationReached(), services.settings().maxCallDuration());
  }

  /**
   * The call lives: events, port results, timers and REST commands step the script; {@code owner}
   * decides how it ends. Timers: the script's ({@link ScriptTimer}) and MAX_DURATION.
   */
  Behavior<CallCommand> running(Owner owner) {
    return Behaviors.receiveMessage(message -> onRunning(message, owner));
  }

  /**
   * One message of the running call. A single dispatch rather than a receive builder: a builder's
   * cases (and the lambdas they hold) would be built again for every call, and a held call keeps
   * them for as long as it waits (docs/performance.md "Held calls").
   */
  private Behavior<CallCommand> onRunning(CallCommand message, Owner owner) {
    if (message instanceof CallCommand.Deliver d) {
      return onDeliver(d, owner);
    } else if (message instanceof Internal internal) {
      return onInternal(internal, owner);
    } else if (message instanceof CallCommand.HangUp h) {
      return onHangUp(h, owner);
    } else if (message instanceof CallCommand.Redirect r) {
      return onRedirect(r, owner);
    } else if (message instanceof CallCommand.GetSnapshot get) {
      return onSnapshot(get);
    } else if (message instanceof CallCommand.DialFinished m) {
      return delegateEnded(Delegations.Key.CALL, new ScriptInput.DialEnded(m.params()), owner);
    } else if (message instanceof CallCommand.QueueWaiting m) {
      return step(new ScriptInput.Queued(m.params()), owner);
    } else if (message instanceof CallCommand.QueueDequeued m) {
      return step(new ScriptInput.Dequeued(m.params()), owner);
    } else if (message instanceof CallCommand.QueueLeft m) {
      return delegateEnded(Delegations.Key.QUEUE,
          new ScriptInput.QueueExited(m.result(), m.params()), owner);
    } else if (message instanceof CallCommand.StreamClosed m) {
      return step(new ScriptInput.ConnectEnded(m.params()), owner);
    } else if (message instanceof CallCommand.SpeechRecognized m) {
      return step(new ScriptInput.SpeechRecognized(m.text(), m.confidence()), owner);
    } else if (message instanceof CallCommand.Reconcile reconcile) {
      return onReconcile(reconcile);
    } else if (message instanceof CallCommand.Recover) {
      return Behaviors.same();
    } else if (message instanceof CallCommand.ServerResynced resynced) {
      return onServerResynced(resynced);
    } else if (message instanceof CallCommand.StartLeg) {
      return ignored("StartLeg");
    } else if (message instanceof CallCommand.CancelLeg cancel) {
      return owner.onCancelLeg(cancel);
    }
    return Behaviors.unhandled();
  }

  /** A port result or a timer of the running call. */
  private Behavior<CallCommand> onInternal(Internal message, Owner owner) {
    if (message instanceof Input m) {
      return step(m.input(), owner);
    } else if (message instanceof MediaResolved m) {
      effects.onMediaResolved(m);
      return Behaviors.same();
    } else if (message instanceof AriFailed f) {
      return onAriFailed(f, owner);
    } else if (message instanceof CallEffects.Unconfirmed u) {
      return onUnconfirmed(u, owner);
    } else if (message instanceof Completed) {
      return Behaviors.same();
    } else if (message instanceof MaxDurationReached) {
      return owner.ended(CallEnd.of(EndCause.MAX_DURATION));
    } else if (message instanceof CallResync.Checked c) {
      return resync.onChecked(c);
    } else if (message instanceof CallResync.Accepted a) {
      return resync.onAccepted(a);
    }
    return Behaviors.unhandled();
  }

  /**
   * Asterisk lists a resource named after this running call: a media stream's channel or bridge
   * that none of its running streams holds is a leftover (of an earlier incarnation, listed only
   * after the call resumed, or of a stream whose teardown failed) and goes ({@link
   * StreamLeftovers}); anything else is the call's own.
   */
  private Behavior<CallCommand> onReconcile(CallCommand.Reconcile reconcile) {
    if (CallRouting.streamResource(reconcile.resourceId())
        && !effects.delegations().holds(reconcile.resourceId())) {
      StreamLeftovers.remove(services.ari(), callSid, reconcile).whenComplete((ok, error) -> {
        if (error != null) {
          LOG.info("call {}: removing {} failed: {}", callSid, reconcile.resourceId(),
              Failures.cause(error).getMessage());
        }
      });
    }
    return Behaviors.same();
  }

  /** A server resynced: the call checks what it missed, its delegations take back what moved. */
  private Behavior<CallCommand> onServerResynced(CallCommand.ServerResynced resynced) {
    effects.delegations().resynced(resynced.serverId());
    return resync.onServerResynced(resynced);
  }

  /**
   * Starts the script with {@code inputs} and puts the call behind its {@link FailureBoundary}:
   * from here on a failure anywhere in the call goes to {@code onFailure}.
   */
  Behavior<CallCommand> start(
      Owner owner, FailureBoundary.Handler<CallCommand> onFailure, ScriptInput... inputs) {
    Behavior<CallCommand> first;
    try {
      for (ScriptInput input : inputs) {
        apply(input);
      }
      first = report.over() ? owner.scriptOver() : running(owner);
    } catch (RuntimeException e) {
      Behavior<CallCommand> next = onFailure.onFailure(e, inputs[inputs.length - 1]);
      first = next == Behaviors.<CallCommand>same() ? running(owner) : next;
    }
    return FailureBoundary.guard(CallCommand.class, onFailure, first);
  }

  /** Steps the script with {@code input}; if it hung up, {@code owner} decides what follows. */
  Behavior<CallCommand> step(ScriptInput input, Owner owner) {
    apply(input);
    return report.over() ? owner.scriptOver() : Behaviors.same();
  }

  private void apply(ScriptInput input) {
    if (input instanceof ScriptInput.Answered && report.answer(services.clock().instant())) {
      status.progress(CallEvent.ANSWERED, CallStatus.IN_PROGRESS, report.answeredAt().get());
    }
    TwimlInterpreter.Step step = interpreter.step(script, input);
    script = step.state();
    services.activeCalls().activity(callSid, CallActivity.of(script));
    checkpointing.stepped(script, report.answeredAt(), status.sequence());
    for (CallEffect effect : step.effects()) {
      if (effect instanceof CallEffect.HangupCall h) {
        report.scriptHungUp(h, input instanceof ScriptInput.TimerFired fired
            && fired.timer() == ScriptTimer.GATHER_TIMEOUT);
      } else {
        effects.run(effect);
      }
    }
  }

  private Behavior<CallCommand> onDeliver(CallCommand.Deliver deliver, Owner owner) {
    ChannelEvent event = deliver.event();
    boolean ends = EventInputs.isHangup(event, channel.channelId()) && owner.endsOn(event);
    if (!ends) {
      deliver.ack().tell(Done.getInstance());
    }
    if (!effects.delegations().isEmpty()
        && EventInputs.concernsDelegates(event, channel.channelId(), callSid)) {
      effects.delegations().offer(event);
    }
    if (trimsSilence(event)) {
      resync.track(event);
      effects.measure((ChannelEvent.RecordingFinished) event);
      return Behaviors.same();
    }
    effects.track(event);
    resync.track(event);
    if (ends) {
      LOG.info("{} hung up ({})", channel, event.getClass().getSimpleName());
      return owner.ended(new CallEnd(EndCause.CALLER_HUNG_UP, deliver));
    }
    if (answeredBySomeoneElse(event)) {
      return step(new ScriptInput.Answered(), owner);
    }
    return EventInputs.toInput(event, channel.channelId())
        .map(input -> step(input, owner))
        .orElseGet(Behaviors::same);
  }

  /** {@code event} ends the running {@code <Record trim="trim-silence">}: measure it first. */
  private boolean trimsSilence(ChannelEvent event) {
    return event instanceof ChannelEvent.RecordingFinished f
        && script.awaiting() instanceof ScriptState.Awaiting.Recording r
        && r.progress().recordingSid().equals(f.name())
        && r.progress().record().trim() == Trim.TRIM_SILENCE;
  }

  /**
   * The unanswered caller's channel went {@code Up} while a delegation runs: a {@code <Dial
   * answerOnBridge>} answered it when the callee answered, so the call is in progress from now.
   */
  private boolean answeredBySomeoneElse(ChannelEvent event) {
    return report.answeredAt().isEmpty()
        && script.awaiting() instanceof ScriptState.Awaiting.Delegated
        && event instanceof ChannelEvent.StateChanged changed
        && changed.id().equals(channel.channelId())
        && "Up".equalsIgnoreCase(changed.state());
  }

  /**
   * What a delegation reported after the call ended (a {@code <Dial>} whose caller hung up): the
   * script, over, may still request the verb's action (spec §4.6), whose TwiML is not run.
   */
  void afterHangup(ScriptInput input) {
    effects.delegations().ended(Delegations.Key.CALL);
    TwimlInterpreter.Step step = interpreter.step(script, input);
    script = step.state();
    for (CallEffect effect : step.effects()) {
      if (!(effect instanceof CallEffect.HangupCall)) {
        attempt("after-hangup " + effect.getClass().getSimpleName(), () -> effects.run(effect));
      }
    }
  }

  /** An event of one of the call's bridges, after the call ended: to the ending delegations. */
  void offerBridgeEventToStopped(ChannelEvent event) {
    if (event.bridgeId().filter(id -> id.startsWith(callSid + "-br-")).isPresent()) {
      effects.delegations().offerToStopped(event);
    }
  }

  private Behavior<CallCommand> delegateEnded(
      Delegations.Key key, ScriptInput input, Owner owner) {
    effects.delegations().ended(key);
    return step(input, owner);
  }

  /**
   * A playback or recording start got no answer and Asterisk did not show it: one that started
   * meanwhile runs on; else it is given up, and a script still waiting for it takes the failure.
   */
  private Behavior<CallCommand> onUnconfirmed(CallEffects.Unconfirmed u, Owner owner) {
    if (effects.giveUp(u)) {
      return onAriFailed(new AriFailed(u.operation(), u.error(), true), owner);
    }
    return resync.onAccepted(new CallResync.Accepted(u.id()));
  }

  private Behavior<CallCommand> onAriFailed(AriFailed failed, Owner owner) {
    Throwable error = Failures.cause(failed.error());
    if (error instanceof AriCommandException ace && ace.isNotFound()) {
      if (failed.channelScoped()) {
        LOG.info("channel {} is gone ({}): ending the call", channel, failed.operation());
        return owner.ended(CallEnd.of(EndCause.CHANNEL_GONE));
      }
      LOG.debug("{} found nothing to act on: {}", failed.operation(), error.getMessage());
      return Behaviors.same();
    }
    LOG.error("ARI {} failed: {}", failed.operation(), error.getMessage());
    return step(
        new ScriptInput.CommandFailed(failed.operation() + ": " + error.getMessage()), owner);
  }

  private Behavior<CallCommand> onHangUp(CallCommand.HangUp hangUp, Owner owner) {
    LOG.info("hangup requested: {}", hangUp.reason());
    return owner.ended(new CallEnd(EndCause.REST_HANGUP, hangUp));
  }

  private Behavior<CallCommand> onRedirect(CallCommand.Redirect redirect, Owner owner) {
    if (redirect.url().isEmpty() == redirect.twiml().isEmpty()) {
      LOG.warn("redirect needs exactly one of url and twiml; ignored");
      return Behaviors.same();
    }
    LOG.info("redirect to {}", redirect.url().map(URI::toString).orElse("inline TwiML"));
    return step(
        new ScriptInput.RedirectRequested(redirect.url(), redirect.method(), redirect.twiml()),
        owner);
  }

  /** Answers a snapshot request (while the call runs or tears down). */
  Behavior<CallCommand> onSnapshot(CallCommand.GetSnapshot get) {
    get.replyTo().tell(snapshot());
    return Behaviors.same();
  }

  /** The call as it is now. */
  CallSnapshot snapshot() {
    return report.snapshot(callSid, channel, params);
  }

  private Behavior<CallCommand> ignored(String what) {
    LOG.warn("{} sent to a call that is not a ringing leg; ignored", what);
    return Behaviors.same();
  }

  /**
   * The call ends from outside its script with {@code status} (unless the script's own hangup,
   * in answer, sets another): the script learns it ({@link ScriptInput.CallEnded}).
   */
  void endFromOutside(CallStatus status) {
    report.endsWith(status);
    callEnded();
  }

  /** The call ends from outside its script: the script learns it ({@link ScriptInput.CallEnded}). */
  void callEnded() {
    apply(new ScriptInput.CallEnded(services.clock().instant()));
  }

  /** The call is over: its checkpoint leaves the store. */
  void forgetCheckpoint() {
    checkpointing.forget();
  }

  /**
   * The call is over at {@code now}: its timers stop, its media and delegations are released.
   * Each step runs on its own (see {@link #attempt}).
   */
  void release(Instant now) {
    report.released(now);
    timers.cancel(TimerKey.MAX_DURATION);
    for (ScriptTimer timer : ScriptTimer.values()) {
      timers.cancel(timer);
    }
    attempt("media release", effects::release);
  }

  /**
   * A failure inside the call, caught by its {@link FailureBoundary}: logged at ERROR with the
   * CallSid. A call whose script still runs takes the error path ({@link ScriptInput.Fault}:
   * fallback URL, else the error prompt, then hangup); a call already over, one whose error path
   * failed too, or one failing again and again gets {@code lastResort}.
   */
  Behavior<CallCommand> onFailure(
      RuntimeException error, Object message, Owner owner,
      Supplier<Behavior<CallCommand>> lastResort) {
    faults++;
    LOG.error("call {} failed while handling {} (failure {} of this call): {}", callSid,
        FailureBoundary.describe(message), faults, error.toString(), error);
    if (!report.over() && faults <= MAX_ERROR_PATHS && !script.finished()) {
      try {
        return step(new ScriptInput.Fault(error.toString()), owner);
      } catch (RuntimeException again) {
        LOG.error("call {}: its error path failed too: {}", callSid, again.toString(), again);
      }
    }
    return lastResort.get();
  }

  /** Runs one step of an ending; one that fails is logged and the others still run. */
  void attempt(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("call {}: {} failed during teardown: {}", callSid, what, e.toString(), e);
    }
  }

  /** CallStatus for requests made now. */
  CallStatus callStatus() {
    return report.callStatus();
  }

  /** Whether the call is over (the script hung up, or the call ended). */
  boolean over() {
    return report.over();
  }

  /** Failures caught by the call's {@link FailureBoundary} so far. */
  int faults() {
    return faults;
  }

  /** Whether the call has been released ({@link #release}). */
  boolean released() {
    return report.released();
  }

  /** Whether the call was answered. */
  boolean answered() {
    return report.answeredAt().isPresent();
  }

  /** When the call was answered, if it was. */
  Optional<Instant> answeredAt() {
    return report.answeredAt();
  }

  /** The final status the call reports (the script's, or the one its end set). */
  CallStatus finalStatus() {
    return report.finalStatus();
  }

  /**
   * Ends the call with {@code status} and {@code reason} without the script (a failure's last
   * resort).
   */
  void forceEnd(CallStatus status, HangupReason reason) {
    report.forceEnd(status, reason);
  }

  /** The hangup the script asked for ({@code normal} unless its {@code <Reject>} said otherwise). */
  HangupReason hangupReason() {
    return report.hangupReason();
  }

  /** Whether the script ran out of verbs (rather than hanging up). */
  boolean ranOut() {
    return script.frame().map(f -> f.verb().isEmpty()).orElse(false);
  }

  /** Whether the script ended because a {@code <Gather>} timed out with nothing after it. */
  boolean endedOnGatherTimeout() {
    return report.endedOnGatherTimeout();
  }

  /** The call's status callbacks. */
  StatusReporter status() {
    return status;
  }
}
