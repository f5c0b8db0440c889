package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.Stashing;
import org.switchboard.engine.protocol.FailureBoundary;
import org.switchboard.engine.protocol.LegSpec;

import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.AnsweredLegRunner.TwimlEnd;
import org.switchboard.engine.script.ScriptInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TwiML of an answered outbound leg ({@link LegSpec#onAnswer()}: a whisper, or the answer URL
 * of an API {@code /ring}), run in the leg's entity on a {@link ScriptRunner}. Its script never
 * hangs up, reports status or passivates: when it is over ({@link #running()} ends) the entity
 * goes back to the leg ({@link AnsweredLegRunner} contract), which does all three, with how the
 * TwiML ended ({@link TwimlEnd}).
 */
final class LegTwiml implements ScriptRunner.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(LegTwiml.class);

  private static final int STASH = 256;
  private static final java.time.Duration LOAD_TIMEOUT = java.time.Duration.ofSeconds(20);

  /** The store's answer for a leg's TwiML taken back after a restart. */
  private record Loaded(Optional<CallCheckpoint> checkpoint, Throwable error)
      implements CallCommand.Internal {}

  private final CallServices services;
  private final ScriptRunner runner;
  private final Function<TwimlEnd, Behavior<CallCommand>> handBack;
  /** The TwiML gave the entity back: later failures belong to the leg. */
  private boolean handedBack;

  private LegTwiml(
      ScriptRunner runner,
      Function<TwimlEnd, Behavior<CallCommand>> handBack,
      CallServices services) {
    this.runner = runner;
    this.handBack = handBack;
    this.services = services;
  }

  /**
   * Runs {@code leg.spec().onAnswer()} on the answered leg; when the script is over the behaviour
   * becomes {@code then.apply(end)}.
   */
  static Behavior<CallCommand> create(
      AnsweredLegRunner.AnsweredLeg leg,
      Function<TwimlEnd, Behavior<CallCommand>> then,
      CallServices services) {
    return Behaviors.setup(ctx -> create(leg, then, services, store(ctx, leg, services)));
  }

  /** As {@link #create}, writing the checkpoints of the leg's TwiML to {@code store}. */
  private static Behavior<CallCommand> create(
      AnsweredLegRunner.AnsweredLeg leg,
      Function<TwimlEnd, Behavior<CallCommand>> then,
      CallServices services,
      Optional<CallCheckpoints> store) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  CallStart start = CallStart.leg(leg, services);
                  LOG.info("answered leg {} to {} runs its TwiML", start.channel(),
                      start.params().to());
                  ScriptRunner runner = new ScriptRunner(ctx, timers, services, leg.callSid(),
                      start, store, Optional.empty());
                  return new LegTwiml(runner, then, services).running(start.begin());
                }));
  }

  /**
   * The TwiML of the answered leg {@code leg}, taken back after a restart: its script resumes
   * from its checkpoint ({@code LegScript|<CallSid>}, {@link ScriptInput.Resumed}: what repeats is
   * what it is for a call); without one (memory mode, or the first checkpoint was lost) it starts
   * again from the answer URL. Commands arriving while the store is read wait (events are
   * acknowledged at once).
   */
  static Behavior<CallCommand> resume(
      AnsweredLegRunner.AnsweredLeg leg,
      Function<TwimlEnd, Behavior<CallCommand>> then,
      CallServices services) {
    return Behaviors.withStash(STASH, stash -> Behaviors.setup(ctx -> {
      Optional<CallCheckpoints> store = store(ctx, leg, services);
      if (store.isEmpty()) {
        return create(leg, then, services, store);
      }
      ctx.pipeToSelf(store.get().load(LOAD_TIMEOUT), (loaded, error) -> new Loaded(
          loaded == null ? Optional.empty() : loaded, error));
      return Behaviors.receive(CallCommand.class)
          .onMessage(Loaded.class, loaded -> {
            if (loaded.checkpoint().isEmpty()) {
              LOG.warn("leg {}: no stored TwiML state ({}); its answer URL runs again",
                  leg.callSid(), loaded.error() != null ? loaded.error() : "none");
              return stash.unstashAll(create(leg, then, services, store));
            }
            CallCheckpoint checkpoint = loaded.checkpoint().get();
            LOG.info("answered leg {} resumes its TwiML after a restart", leg.callSid());
            return stash.unstashAll(Behaviors.withTimers(timers -> {
              CallStart start = new CallStart(checkpoint.channel(), checkpoint.params(),
                  checkpoint.application(), new ScriptInput.Resumed(), checkpoint.answeredAt());
              ScriptRunner runner = new ScriptRunner(ctx, timers, services, leg.callSid(), start,
                  store, Optional.of(checkpoint));
              LegTwiml twiml = new LegTwiml(runner, then, services);
              return runner.start(twiml, twiml::onFailure, new ScriptInput.Resumed());
            }));
          })
          .onMessage(CallCommand.class, other -> Stashing.keep(stash, ctx, other))
          .build();
    }));
  }

  /**
   * Where the TwiML of {@code leg} keeps its checkpoints: only a standalone leg's (a REST call, a
   * {@code /ring} answer URL) is taken back after a restart; a whisper keeps nothing.
   */
  private static <T> Optional<CallCheckpoints> store(
      org.apache.pekko.actor.typed.javadsl.ActorContext<T> ctx,
      AnsweredLegRunner.AnsweredLeg leg, CallServices services) {
    if (!leg.spec().standalone()) {
      return Optional.empty();
    }
    return CallStore.of(ctx.getSystem().settings().config())
        .openLeg(ctx.getSystem(), leg.callSid());
  }

  /**
   * The stored TwiML state of the leg {@code callSid} run by {@code ctx} goes: the leg ended while
   * no node ran it, so its TwiML will not be taken back.
   */
  static <T> void discard(org.apache.pekko.actor.typed.javadsl.ActorContext<T> ctx,
      String callSid) {
    CallStore.of(ctx.getSystem().settings().config()).openLeg(ctx.getSystem(), callSid)
        .ifPresent(CallCheckpoints::discard);
  }

  /**
   * The TwiML runs, answered ({@link ScriptRunner#running}), until it hangs up or runs out, or
   * something from outside (a hangup, {@link CallCommand.CancelLeg}, MAX_DURATION) interrupts it;
   * then the leg takes over. Behind a {@link FailureBoundary}: a failure takes the script's error
   * path, or hands the leg back; once handed back it is the leg's.
   */
  private Behavior<CallCommand> running(ScriptInput begin) {
    return runner.start(this, this::onFailure, new ScriptInput.Answered(), begin);
  }

  /** A hangup request does not interrupt the TwiML: the leg waits for the channel's end. */
  @Override
  public boolean endsOn(ChannelEvent event) {
    return !(event instanceof ChannelEvent.HangupRequested);
  }

  /**
   * The script hung up: a whisper that ran out accepts the call; one that hung up, or whose
   * {@code <Gather>} timed out with nothing after it, rejects it.
   */
  @Override
  public Behavior<CallCommand> scriptOver() {
    return handBack(runner.ranOut() && !runner.endedOnGatherTimeout()
        ? new AnsweredLegRunner.Finished()
        : new AnsweredLegRunner.Rejected());
  }

  /** The TwiML stops on the command that ended it, which the leg handles (unacknowledged). */
  @Override
  public Behavior<CallCommand> ended(CallEnd end) {
    runner.callEnded();
    return handBack(new AnsweredLegRunner.Interrupted(end.command()));
  }

  @Override
  public Behavior<CallCommand> onCancelLeg(CallCommand.CancelLeg cancel) {
    return ended(new CallEnd(EndCause.LEG_CANCELED, cancel));
  }

  private Behavior<CallCommand> handBack(TwimlEnd end) {
    runner.release(services.clock().instant());
    runner.forgetCheckpoint();
    LOG.debug("leg TwiML over ({}); back to the leg", end.getClass().getSimpleName());
    handedBack = true;
    return handBack.apply(end);
  }

  /**
   * A failure in the TwiML takes the script's error path; past that the leg is handed back as
   * interrupted by a hangup (it hangs up and reports). A failure after the hand-back is the leg's.
   */
  private Behavior<CallCommand> onFailure(RuntimeException error, Object message) {
    if (handedBack) {
      throw error;
    }
    return runner.onFailure(error, message, this, () -> handBack(
        new AnsweredLegRunner.Interrupted(new CallCommand.HangUp("internal failure"))));
  }
}
