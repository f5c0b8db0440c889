package org.switchboard.engine.ring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;

/**
 * Rings the legs of one dial and decides, in one place, who wins (the fan-out of Pekko's {@code
 * DeviceGroupQuery}). Each leg is a call entity told {@link CallCommand.StartLeg}; its {@link
 * LegReport}s come back here. The first {@link LegReport.LegAnswered} wins; every other leg,
 * including one that answers a moment later, is told {@link CallCommand.CancelLeg}. One timeout
 * for the group (per leg when sequential). Replies one {@link RingOutcome.Answered} or {@link
 * RingOutcome.Unanswered}, then forwards the winner's end as {@link RingOutcome.WinnerEnded}.
 */
public final class RingGroup {
  private static final Logger LOG = LoggerFactory.getLogger(RingGroup.class);

  /** Messages of a ring group. */
  public sealed interface Command {}

  /** The parent stops the ringing: its caller hung up, or an API request cancelled the dial. */
  public record CancelAll(LegCancelCause cause) implements Command {}

  /**
   * The dial's server resynced: each leg still ringing, and the winner while bridged, is told
   * {@link CallCommand.ResumeLeg} again. A leg entity that died with its node starts again from its
   * durable state and reports here; a live one that already reports here ignores it.
   */
  public record TakeBack() implements Command {}

  private record Report(LegReport report) implements Command {}

  private record RingTimeout(int legIndex) implements Command {}

  private record DrainExpired() implements Command {}

  private enum Timer {
    RING,
    DRAIN
  }

  private static final class Leg {
    final int index;
    final LegSpec spec;
    final String callSid;
    boolean started;
    /** Picked up, detecting or whispering: the ring timeout no longer applies to it. */
    boolean pickedUp;
    Optional<String> status = Optional.empty();

    Leg(int index, LegSpec spec) {
      this.index = index;
      this.spec = spec;
      this.callSid = CallSid.forChannel(new ChannelRef(spec.serverId(), spec.channelId()));
    }

    boolean pending() {
      return started && status.isEmpty();
    }
  }

  private final TimerScheduler<Command> timers;
  private final List<Leg> legs = new ArrayList<>();
  private final boolean sequential;
  private final Duration timeout;
  private final Duration drainTimeout;
  private final Function<String, RecipientRef<CallCommand>> entities;
  private final ActorRef<RingOutcome> replyTo;
  private final ActorRef<LegReport> reports;

  private boolean decided;
  private LegCancelCause decidingCause = LegCancelCause.ANSWERED_ELSEWHERE;
  private Leg winner;
  private int next;

  private RingGroup(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      List<LegSpec> specs,
      boolean sequential,
      Duration timeout,
      Duration drainTimeout,
      Function<String, RecipientRef<CallCommand>> entities,
      ActorRef<RingOutcome> replyTo) {
    this.timers = timers;
    for (int i = 0; i < specs.size(); i++) {
      legs.add(new Leg(i, specs.get(i)));
    }
    this.sequential = sequential;
    this.timeout = timeout;
    this.drainTimeout = drainTimeout;
    this.entities = entities;
    this.replyTo = replyTo;
    this.reports = context.messageAdapter(LegReport.class, Report::new);
  }

  /**
   * Starts ringing {@code legs} at once (or one after another when {@code sequential}).
   *
   * @param timeout how long the group (or, sequentially, each leg) rings
   * @param drainTimeout how long a decided group waits for the losers' final reports
   * @param entities the call entity of a leg CallSid (a sharding EntityRef in production)
   */
  public static Behavior<Command> create(
      List<LegSpec> legs,
      boolean sequential,
      Duration timeout,
      Duration drainTimeout,
      Function<String, RecipientRef<CallCommand>> entities,
      ActorRef<RingOutcome> replyTo) {
    if (legs.isEmpty()) {
      throw new IllegalArgumentException("a ring group needs at least one leg");
    }
    return group(legs, sequential, timeout, drainTimeout, entities, replyTo, RingGroup::start);
  }

  /**
   * Takes back the legs of a group rung before a restart ({@link CallCommand.ResumeLeg}, no new
   * origination): with {@code winner} (the index of the leg its dial bridged) only that leg, the
   * others being over; else every leg, which ring on for {@code timeout} (what is left of the
   * group's), and the first to answer wins as before.
   */
  public static Behavior<Command> resume(
      List<LegSpec> legs,
      Optional<Integer> winner,
      Duration timeout,
      Duration drainTimeout,
      Function<String, RecipientRef<CallCommand>> entities,
      ActorRef<RingOutcome> replyTo) {
    return group(legs, false, timeout, drainTimeout, entities, replyTo,
        g -> g.resumed(winner));
  }

  private static Behavior<Command> group(
      List<LegSpec> legs,
      boolean sequential,
      Duration timeout,
      Duration drainTimeout,
      Function<String, RecipientRef<CallCommand>> entities,
      ActorRef<RingOutcome> replyTo,
      Function<RingGroup, Behavior<Command>> first) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    first.apply(new RingGroup(
                        ctx, timers, List.copyOf(legs), sequential, timeout, drainTimeout,
                        entities, replyTo))));
  }

  /**
   * Takes back a sequential group rung before a restart at its leg {@code current} ({@link
   * CallCommand.ResumeLeg}): the legs before it are over with {@code endedStatuses}, the current one
   * rings on for {@code currentLeft}, and the legs after it start one after another as before,
   * each for {@code timeout}.
   */
  public static Behavior<Command> resumeSequence(
      List<LegSpec> legs,
      int current,
      List<String> endedStatuses,
      Duration currentLeft,
      Duration timeout,
      Duration drainTimeout,
      Function<String, RecipientRef<CallCommand>> entities,
      ActorRef<RingOutcome> replyTo) {
    return group(legs, true, timeout, drainTimeout, entities, replyTo,
        g -> g.resumedSequence(current, endedStatuses, currentLeft));
  }

  private Behavior<Command> resumedSequence(
      int current, List<String> endedStatuses, Duration currentLeft) {
    for (int i = 0; i < current; i++) {
      Leg done = legs.get(i);
      done.started = true;
      done.status = Optional.of(i < endedStatuses.size() ? endedStatuses.get(i)
          : DialStatuses.FAILED);
    }
    Leg leg = legs.get(current);
    leg.started = true;
    next = current + 1;
    LOG.debug("taking back leg {} ({}) of a sequence", leg.callSid, leg.spec.target());
    entities.apply(leg.callSid).tell(new CallCommand.ResumeLeg(leg.spec, reports, false));
    timers.startSingleTimer(Timer.RING, new RingTimeout(leg.index), currentLeft);
    return ringing();
  }

  private Behavior<Command> resumed(Optional<Integer> won) {
    next = legs.size();
    for (Leg leg : legs) {
      leg.started = true;
      boolean theWinner = won.filter(i -> i == leg.index).isPresent();
      if (won.isPresent() && !theWinner) {
        leg.status = Optional.of(DialStatuses.CANCELED);
        continue;
      }
      LOG.debug("taking back leg {} ({})", leg.callSid, leg.spec.target());
      entities.apply(leg.callSid).tell(new CallCommand.ResumeLeg(leg.spec, reports, theWinner));
    }
    if (won.isPresent()) {
      decided = true;
      winner = legs.get(won.get());
    } else {
      timers.startSingleTimer(Timer.RING, new RingTimeout(-1), timeout);
    }
    return ringing();
  }

  private Behavior<Command> start() {
    if (sequential) {
      startNext();
    } else {
      legs.forEach(this::startLeg);
      timers.startSingleTimer(Timer.RING, new RingTimeout(-1), timeout);
    }
    return ringing();
  }

  private void startNext() {
    Leg leg = legs.get(next++);
    startLeg(leg);
    timers.startSingleTimer(Timer.RING, new RingTimeout(leg.index), timeout);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < leg.index; i++) {
      before.add(legs.get(i).status.orElse(DialStatuses.FAILED));
    }
    replyTo.tell(new RingOutcome.NextLegStarted(leg.index, before));
  }

  private void startLeg(Leg leg) {
    leg.started = true;
    LOG.debug("ringing leg {} ({})", leg.callSid, leg.spec.target());
    entities.apply(leg.callSid).tell(new CallCommand.StartLeg(leg.spec, reports));
  }

  /**
   * Legs ring; waits for their reports, the RING timer and {@link CancelAll}. Once decided it keeps
   * collecting final reports (and the winner's end) until every leg is over, or until DRAIN
   * expires when nobody won.
   */
  private Behavior<Command> ringing() {
    return Behaviors.receive(Command.class)
        .onMessage(Report.class, r -> onReport(r.report()))
        .onMessage(RingTimeout.class, this::onTimeout)
        .onMessage(CancelAll.class, c -> onCancelAll(c.cause()))
        .onMessage(TakeBack.class, t -> onTakeBack())
        .onMessage(DrainExpired.class, d -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onTakeBack() {
    for (Leg leg : legs) {
      if (leg.pending()) {
        LOG.debug("taking back leg {} after a resync", leg.callSid);
        entities.apply(leg.callSid).tell(new CallCommand.ResumeLeg(leg.spec, reports, leg == winner));
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onReport(LegReport report) {
    Optional<Leg> found = legs.stream().filter(l -> l.callSid.equals(report.legCallSid())).findFirst();
    if (found.isEmpty()) {
      LOG.warn("report from unknown leg {} ignored", report.legCallSid());
      return Behaviors.same();
    }
    Leg leg = found.get();
    if (report instanceof LegReport.LegAnswered answered) {
      return onAnswered(leg, answered.channel());
    }
    if (report instanceof LegReport.LegEnded ended) {
      return onEnded(leg, ended);
    }
    if (report instanceof LegReport.LegPickedUp) {
      leg.pickedUp = true;
    }
    return Behaviors.same();
  }

  private Behavior<Command> onAnswered(Leg leg, ChannelRef channel) {
    if (decided || leg.status.isPresent()) {
      LOG.debug("leg {} answered too late; cancelling it", leg.callSid);
      entities.apply(leg.callSid).tell(new CallCommand.CancelLeg(decidingCause));
      return Behaviors.same();
    }
    decided = true;
    winner = leg;
    timers.cancel(Timer.RING);
    LOG.debug("leg {} won", leg.callSid);
    entities.apply(leg.callSid).tell(new CallCommand.LegWon());
    cancelPending(LegCancelCause.ANSWERED_ELSEWHERE, DialStatuses.CANCELED);
    replyTo.tell(new RingOutcome.Answered(leg.callSid, channel, leg.index, statuses()));
    return Behaviors.same();
  }

  private Behavior<Command> onEnded(Leg leg, LegReport.LegEnded ended) {
    boolean wasPending = leg.status.isEmpty();
    leg.status = Optional.of(ended.status());
    if (leg == winner) {
      replyTo.tell(new RingOutcome.WinnerEnded(ended));
    } else if (!decided && wasPending) {
      if (sequential && next < legs.size()) {
        timers.cancel(Timer.RING);
        startNext();
      } else if (legs.stream().noneMatch(Leg::pending)) {
        decided = true;
        timers.cancel(Timer.RING);
        replyTo.tell(new RingOutcome.Unanswered(aggregate(), statuses(), lastStarted(),
            ended.sipCode()));
      }
    }
    return allOver() ? Behaviors.stopped() : Behaviors.same();
  }

  private Behavior<Command> onTimeout(RingTimeout timeout) {
    if (decided) {
      return Behaviors.same();
    }
    if (sequential) {
      Leg leg = legs.get(timeout.legIndex());
      if (leg.pending() && !leg.pickedUp) {
        entities.apply(leg.callSid).tell(new CallCommand.CancelLeg(LegCancelCause.TIMEOUT));
      }
      return Behaviors.same();
    }
    if (legs.stream().anyMatch(l -> l.pending() && l.pickedUp)) {
      // A callee picked up before the timeout: only the legs still ringing are given up; the
      // group is decided by the picked-up leg's claim or end.
      for (Leg leg : legs) {
        if (leg.pending() && !leg.pickedUp) {
          entities.apply(leg.callSid).tell(new CallCommand.CancelLeg(LegCancelCause.TIMEOUT));
          leg.status = Optional.of(DialStatuses.NO_ANSWER);
        }
      }
      return Behaviors.same();
    }
    return decideUnanswered(LegCancelCause.TIMEOUT, DialStatuses.NO_ANSWER, DialStatuses.NO_ANSWER);
  }

  private Behavior<Command> onCancelAll(LegCancelCause cause) {
    if (decided) {
      return Behaviors.same();
    }
    String status = cause == LegCancelCause.TIMEOUT ? DialStatuses.NO_ANSWER : DialStatuses.CANCELED;
    return decideUnanswered(cause, status, status);
  }

  private Behavior<Command> decideUnanswered(LegCancelCause cause, String legStatus, String dialStatus) {
    decided = true;
    decidingCause = cause;
    timers.cancel(Timer.RING);
    cancelPending(cause, legStatus);
    replyTo.tell(new RingOutcome.Unanswered(dialStatus, statuses(), lastStarted()));
    if (allOver()) {
      return Behaviors.stopped();
    }
    timers.startSingleTimer(Timer.DRAIN, new DrainExpired(), drainTimeout);
    return Behaviors.same();
  }

  private void cancelPending(LegCancelCause cause, String expectedStatus) {
    for (Leg leg : legs) {
      if (leg.pending() && leg != winner) {
        entities.apply(leg.callSid).tell(new CallCommand.CancelLeg(cause));
        leg.status = Optional.of(expectedStatus);
      }
    }
  }

  private boolean allOver() {
    return decided && legs.stream().noneMatch(Leg::pending) && (winner == null || winner.status.isPresent());
  }

  private Map<String, String> statuses() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Leg leg : legs) {
      if (leg != winner) {
        leg.status.ifPresent(s -> out.put(leg.callSid, s));
      }
    }
    return out;
  }

  private String lastStarted() {
    String last = legs.get(0).callSid;
    for (Leg leg : legs) {
      if (leg.started) {
        last = leg.callSid;
      }
    }
    return last;
  }

  private String aggregate() {
    List<String> finals = new ArrayList<>();
    legs.forEach(l -> l.status.ifPresent(finals::add));
    return aggregate(finals);
  }

  /**
   * The dial status of legs that all ended unanswered: busy when every one was busy, failed when
   * every one failed, busy when they were only busy or failed, canceled when every one was
   * cancelled, no-answer otherwise.
   */
  static String aggregate(Collection<String> statuses) {
    if (statuses.isEmpty()) {
      return DialStatuses.NO_ANSWER;
    }
    if (statuses.stream().allMatch(DialStatuses.FAILED::equals)) {
      return DialStatuses.FAILED;
    }
    if (statuses.stream().allMatch(DialStatuses.CANCELED::equals)) {
      return DialStatuses.CANCELED;
    }
    if (statuses.stream().allMatch(s -> s.equals(DialStatuses.BUSY) || s.equals(DialStatuses.FAILED))) {
      return DialStatuses.BUSY;
    }
    return DialStatuses.NO_ANSWER;
  }
}
