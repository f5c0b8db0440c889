package org.switchboard.engine.ring;

import org.switchboard.engine.protocol.AnsweredLegRunner;

import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.AnsweredLegRunner.AnsweredLeg;
import org.switchboard.engine.ring.LegActor.LingerOver;
import org.switchboard.engine.ring.LegActor.Timer;
import org.switchboard.engine.ring.LegActor.UnbridgedTooLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of a {@link LegActor} once its leg answered and entered Stasis: the whisper that runs
 * before the leg is claimed, the claimed leg waiting for its bridge ({@link #connected}), and the
 * answer URL of a standalone leg, each run through {@link AnsweredLegRunner}. A leg that ends here
 * goes back to the leg's {@link LegActor#lingering()}. Used only inside one {@link LegActor}.
 */
final class ConnectedLeg {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectedLeg.class);

  /**
   * A claimed leg: whether it is in a bridge now, and the answered standalone leg that waits for
   * {@link CallCommand.LegWon} to run its TwiML.
   */
  private record Connected(boolean bridged, Optional<AnsweredLeg> awaitingVerdict) {
    Connected withBridged(boolean now) {
      return new Connected(now, awaitingVerdict);
    }
  }

  private final LegActor owner;
  private final ActorContext<CallCommand> context;
  private final TimerScheduler<CallCommand> timers;
  private final String callSid;
  private final LegSpec spec;
  private final ChannelRef channel;
  private final LegSettings settings;
  private final AnsweredLegRunner runner;
  private final EntityEnd end;
  private final LegReports reports;
  private final LegHangup hangups;

  ConnectedLeg(
      LegActor owner,
      ActorContext<CallCommand> context,
      TimerScheduler<CallCommand> timers,
      String callSid,
      LegSpec spec,
      LegSettings settings,
      AnsweredLegRunner runner,
      EntityEnd end,
      LegReports reports,
      LegHangup hangups) {
    this.owner = owner;
    this.context = context;
    this.timers = timers;
    this.callSid = callSid;
    this.spec = spec;
    this.channel = new ChannelRef(spec.serverId(), spec.channelId());
    this.settings = settings;
    this.runner = runner;
    this.end = end;
    this.reports = reports;
    this.hangups = hangups;
  }

  /**
   * Answered and in Stasis: run a whisper first, or claim the leg. {@code answeredBy}: the verdict
   * of answering machine detection for the answer webhook, if any.
   */
  Behavior<CallCommand> answered(Optional<String> answeredBy) {
    timers.cancel(Timer.STASIS);
    timers.cancel(Timer.RING);
    AnsweredLeg answered =
        new AnsweredLeg(callSid, channel, spec, reports.answeredAt().orElseThrow(), answeredBy);
    if (spec.onAnswer().isPresent() && !spec.standalone()) {
      LOG.debug("{} answered; running whisper before claiming", callSid);
      reports.pickedUp();
      return runner.runTwiml(answered, this::afterWhisper);
    }
    reports.claimed(channel);
    if (spec.onAnswer().isPresent() && spec.parentCallSid().isEmpty()) {
      return runAnswerUrl(answered);
    }
    return claimed(spec.onAnswer().isPresent() ? Optional.of(answered) : Optional.empty());
  }

  /**
   * A leg its dial had bridged before a restart, taken back: claimed and in its bridge, waiting
   * for its end or the dial's hangup as {@link #connected} does; nothing is reported again.
   */
  Behavior<CallCommand> resumedBridged() {
    return connected(new Connected(true, Optional.empty()));
  }

  /**
   * A standalone leg (a REST call, the winner of a {@code /ring}) taken back after a restart while
   * its answer URL's TwiML ran: the TwiML resumes where it stood ({@link
   * AnsweredLegRunner#resumeTwiml}); nothing is reported again.
   */
  Behavior<CallCommand> resumedTwiml() {
    timers.cancel(Timer.UNBRIDGED);
    AnsweredLeg answered =
        new AnsweredLeg(callSid, channel, spec, reports.answeredAt().orElseThrow());
    return runner.resumeTwiml(answered, this::afterAnswerUrl);
  }

  /** The leg ended while no node ran it: the TwiML state it kept goes unread. */
  void discardTwiml() {
    runner.discardTwiml(context, callSid);
  }

  private Behavior<CallCommand> claimed(Optional<AnsweredLeg> awaitingVerdict) {
    timers.startSingleTimer(Timer.UNBRIDGED, new UnbridgedTooLong(), settings.unbridgedTimeout());
    return connected(new Connected(false, awaitingVerdict));
  }

  private Behavior<CallCommand> afterWhisper(AnsweredLegRunner.TwimlEnd end) {
    if (end instanceof AnsweredLegRunner.Finished) {
      reports.claimed(channel);
      return claimed(Optional.empty());
    }
    return afterAnswerUrl(end);
  }

  private Behavior<CallCommand> afterAnswerUrl(AnsweredLegRunner.TwimlEnd end) {
    if (end instanceof AnsweredLegRunner.Interrupted interrupted) {
      return onInterrupted(interrupted.command());
    }
    hangups.send(HangupReason.NORMAL);
    reports.answeredEnd(settings.clock().instant());
    return owner.lingering();
  }

  private Behavior<CallCommand> onInterrupted(CallCommand command) {
    if (command instanceof CallCommand.CancelLeg cancel) {
      return owner.cancel(cancel.cause());
    }
    if (command instanceof CallCommand.Deliver deliver) {
      deliver.ack().tell(Done.getInstance());
      if (deliver.event() instanceof ChannelEvent.ChannelDestroyed destroyed) {
        reports.answeredEnd(destroyed.timestamp());
        return owner.stopOnceChildrenAreDone();
      }
      if (deliver.event() instanceof ChannelEvent.StasisLeft left) {
        reports.answeredEnd(left.timestamp());
        return owner.lingering();
      }
    }
    if (!(command instanceof CallCommand.HangUp)) {
      LOG.warn("{} TwiML interrupted by unexpected {}; hanging up", callSid, command);
    }
    hangups.send(HangupReason.NORMAL);
    reports.answeredEnd(settings.clock().instant());
    return owner.lingering();
  }

  /**
   * Claimed: {@code LegAnswered} was sent. Waits to be bridged ({@code EnteredBridge}), for the
   * channel to end, for {@link CallCommand.HangUp}, for {@link CallCommand.CancelLeg} (it lost the
   * race, or the parent went away before the bridge), or for {@link CallCommand.LegWon} (a
   * standalone leg then runs its TwiML). UNBRIDGED guards a leg nobody bridges; LINGER guards a
   * hangup whose {@code ChannelDestroyed} never comes.
   */
  private Behavior<CallCommand> connected(Connected state) {
    return owner.common(true)
        .onMessage(CallCommand.Deliver.class, d -> onConnectedEvent(d, state))
        .onMessage(
            CallCommand.CancelLeg.class,
            c -> state.bridged() ? hangupAnswered() : owner.cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> hangupAnswered())
        .onMessage(
            CallCommand.LegWon.class,
            w -> state.awaitingVerdict().map(this::runAnswerUrl).orElseGet(Behaviors::same))
        .onMessage(UnbridgedTooLong.class, t -> onUnbridged())
        .onMessage(LingerOver.class, t -> onHangupUnanswered())
        .build();
  }

  /** A standalone leg runs its answer URL as its own call (after the group's verdict, if any). */
  private Behavior<CallCommand> runAnswerUrl(AnsweredLeg leg) {
    timers.cancel(Timer.UNBRIDGED);
    return runner.runTwiml(leg, this::afterAnswerUrl);
  }

  private Behavior<CallCommand> onConnectedEvent(CallCommand.Deliver deliver, Connected state) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.EnteredBridge) {
      timers.cancel(Timer.UNBRIDGED);
      return connected(state.withBridged(true));
    } else if (event instanceof ChannelEvent.LeftBridge) {
      timers.startSingleTimer(Timer.UNBRIDGED, new UnbridgedTooLong(), settings.unbridgedTimeout());
      return connected(state.withBridged(false));
    } else if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      reports.channelGone(destroyed.timestamp());
      reports.answeredEnd(destroyed.timestamp());
      return end.end(context);
    } else if (event instanceof ChannelEvent.StasisLeft left) {
      reports.answeredEnd(left.timestamp());
      return owner.lingering();
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onUnbridged() {
    LOG.warn("{} answered but not bridged in time; hanging up", callSid);
    return hangupAnswered();
  }

  /** The hangup of a claimed leg got no {@code ChannelDestroyed} within LINGER. */
  private Behavior<CallCommand> onHangupUnanswered() {
    reports.answeredEnd(settings.clock().instant());
    return hangups.unconfirmed() ? owner.lingering() : end.end(context);
  }

  private Behavior<CallCommand> hangupAnswered() {
    timers.cancel(Timer.UNBRIDGED);
    hangups.send(HangupReason.NORMAL);
    timers.startSingleTimer(Timer.LINGER, new LingerOver(), settings.linger());
    return Behaviors.same();
  }
}
