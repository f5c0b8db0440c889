package org.switchboard.engine.ring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * What one leg tells the world about its life, and the facts those reports need: the ring group or
 * dial ({@link LegReport}), the noun's status callbacks ({@link LegCallbacks}) and the node's
 * {@link LegObserver}. Each report goes out once: the first ringing, the answer, and the final
 * status, whatever path leads there (an event, a cancel, a failure). Used only inside one {@link
 * LegActor}.
 */
final class LegReports {
  private static final Logger LOG = LoggerFactory.getLogger(LegReports.class);

  private final String callSid;
  private final LegSpec spec;
  private ActorRef<LegReport> reportTo;
  private final LegCallbacks callbacks;
  private final LegObserver observer;
  private final Clock clock;
  private final Instant startTime;
  private LegDurability durability = LegDurability.NONE;
  private boolean ringReported;
  private boolean pickedUpReported;
  private Optional<Instant> answeredAt = Optional.empty();
  private Optional<String> finalStatus = Optional.empty();
  private Optional<Instant> endTime = Optional.empty();
  private Optional<String> answeredBy = Optional.empty();
  /** The channel the leg was claimed on ({@link #claimed}), once it was. */
  private Optional<org.switchboard.engine.port.ChannelRef> claimedOn = Optional.empty();
  /** The final report, once it went out. */
  private Optional<LegReport.LegEnded> finalReport = Optional.empty();

  LegReports(
      String callSid,
      LegSpec spec,
      ActorRef<LegReport> reportTo,
      LegCallbacks callbacks,
      LegObserver observer,
      Clock clock) {
    this.callSid = callSid;
    this.spec = spec;
    this.reportTo = reportTo;
    this.callbacks = callbacks;
    this.observer = observer;
    this.clock = clock;
    this.startTime = clock.instant();
  }

  /** The reports of a leg resumed after a restart from {@code stored}, reporting to {@code reportTo}. */
  LegReports(
      LegRecord stored,
      ActorRef<LegReport> reportTo,
      LegCallbacks callbacks,
      LegObserver observer,
      Clock clock) {
    this.callSid = stored.callSid();
    this.spec = stored.spec();
    this.reportTo = reportTo;
    this.callbacks = callbacks;
    this.observer = observer;
    this.clock = clock;
    this.startTime = stored.startTime();
    this.ringReported = stored.ringReported();
    this.answeredAt = stored.answeredAt();
    callbacks.resumeAt(stored.sequence());
  }

  /** Where the leg's state is kept from now on, at each report. */
  void keepIn(LegDurability durability) {
    this.durability = durability;
  }

  /** The leg's state as kept in the store. */
  LegRecord record() {
    return new LegRecord(callSid, spec, startTime, ringReported, answeredAt, callbacks.sequence());
  }

  /** The origination went out: the {@code initiated} callback. */
  void initiated() {
    callbacks.initiated();
    durability.save(record());
  }

  /** The far end rings: the group and the {@code ringing} callback hear it, the first time. */
  void ringing() {
    if (!ringReported) {
      ringReported = true;
      reportTo.tell(new LegReport.LegRinging(callSid));
      callbacks.ringing();
      durability.save(record());
    }
  }

  /** The far end answered at {@code at}: the {@code answered} callback and the observer, once. */
  void answered(Instant at) {
    if (answeredAt.isEmpty()) {
      answeredAt = Optional.of(at);
      callbacks.answered();
      observer.answered();
      durability.save(record());
    }
  }

  /**
   * The far end picked up and the leg detects an answering machine or runs its whisper before it
   * is claimed: a dial's group hears it once, and stops timing the leg out.
   */
  void pickedUp() {
    if (!pickedUpReported && spec.parentCallSid().isPresent()) {
      pickedUpReported = true;
      reportTo.tell(new LegReport.LegPickedUp(callSid));
    }
  }

  /** The leg is claimed: the group hears it answered on {@code channel} and can bridge it. */
  void claimed(org.switchboard.engine.port.ChannelRef channel) {
    claimedOn = Optional.of(channel);
    reportTo.tell(new LegReport.LegAnswered(callSid, channel));
  }

  /**
   * The leg's dial took it back ({@code CallCommand.ResumeLeg}) while the leg ran on: the dial's
   * node died or left and its group, {@code group}, started again elsewhere. From now on the
   * reports go there, and the group hears where the leg stands: its final report when it ended
   * meanwhile, its answer when it was claimed and the dial had not bridged it yet ({@code won}:
   * it had, and the group knows), its ringing. Nothing is sent when the group is the one the leg
   * reports to already (a take-back of every leg after a resync) and no callback is sent again.
   *
   * @return whether the reports moved to another group
   */
  boolean retarget(ActorRef<LegReport> group, boolean won) {
    if (group.equals(reportTo)) {
      return false;
    }
    reportTo = group;
    if (finalReport.isPresent()) {
      group.tell(finalReport.get());
    } else if (claimedOn.isPresent() && !won) {
      group.tell(new LegReport.LegAnswered(callSid, claimedOn.get()));
    } else if (pickedUpReported && claimedOn.isEmpty()) {
      group.tell(new LegReport.LegPickedUp(callSid));
    } else if (ringReported) {
      group.tell(new LegReport.LegRinging(callSid));
    }
    return true;
  }

  /** The verdict of answering machine detection ({@code AnsweredBy}), for the snapshot. */
  void detected(String verdict) {
    answeredBy = Optional.of(verdict);
  }

  /** The verdict of answering machine detection, once it came. */
  Optional<String> answeredBy() {
    return answeredBy;
  }

  /** When the leg answered; present once {@link #answered} ran. */
  Optional<Instant> answeredAt() {
    return answeredAt;
  }

  /** Whether the final report went out. */
  boolean ended() {
    return finalStatus.isPresent();
  }

  /** The channel is gone at {@code at} (the end time of the final report and snapshot). */
  void channelGone(Instant at) {
    endTime = Optional.of(at);
  }

  /** An answered leg ended at {@code end}: {@code completed}, with its duration from the answer. */
  void answeredEnd(Instant end) {
    long seconds = answeredAt.map(a -> Duration.between(a, end).toSeconds()).orElse(0L);
    ended(DialStatuses.COMPLETED, (int) Math.max(0, seconds), Optional.empty());
  }

  /** The leg failed: {@code completed} once it answered, else {@code failed}. */
  void failed() {
    if (answeredAt.isPresent()) {
      answeredEnd(clock.instant());
    } else {
      ended(DialStatuses.FAILED, 0, Optional.empty());
    }
  }

  /**
   * The final report ({@code status}: a Twilio CallStatus): to the group, the {@code completed}
   * callback and the observer; later calls do nothing.
   */
  void ended(String status, int durationSeconds, Optional<Integer> sipCode) {
    if (finalStatus.isPresent()) {
      return;
    }
    finalStatus = Optional.of(status);
    if (endTime.isEmpty()) {
      endTime = Optional.of(clock.instant());
    }
    LOG.debug("{} ended {} after {}s", callSid, status, durationSeconds);
    finalReport = Optional.of(new LegReport.LegEnded(callSid, status, durationSeconds, sipCode));
    reportTo.tell(finalReport.get());
    attempt("final status callback", () -> callbacks.completed(status, durationSeconds, sipCode));
    attempt("final snapshot", () -> observer.ended(snapshot(status, endTime)));
    durability.forget();
  }

  /** The leg as it is now ({@code initiated}, {@code ringing}, {@code in-progress} or final). */
  CallSnapshot snapshot() {
    String status =
        finalStatus.orElse(
            (answeredAt.isPresent()
                    ? CallStatus.IN_PROGRESS
                    : ringReported ? CallStatus.RINGING : CallStatus.INITIATED)
                .wire());
    return snapshot(status, finalStatus.isPresent() ? endTime : Optional.empty());
  }

  private CallSnapshot snapshot(String status, Optional<Instant> end) {
    return LegSnapshots.of(
        callSid, spec, status, startTime, answeredAt.orElse(null), end.orElse(null), answeredBy);
  }

  private void attempt(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("leg {}: {} failed: {}", callSid, what, e.toString(), e);
    }
  }
}
