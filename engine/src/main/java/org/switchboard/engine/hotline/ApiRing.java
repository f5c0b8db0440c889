package org.switchboard.engine.hotline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.RingGroup;
import org.switchboard.engine.ring.RingOutcome;
import org.switchboard.engine.ring.RingRecord;

/**
 * Supervises the {@link RingGroup} of one API {@code /ring}: logs its outcome, cancels every
 * ringing leg when the parent call ends first (a caller who hangs up must not leave volunteers'
 * phones ringing), and stops when the group has heard the last of its legs. The legs report
 * nothing to the parent call: the winner runs its answer URL as its own call.
 *
 * <p>It learns that the parent ended from the parent's call entity itself, on whichever node that
 * runs ({@link CallCommand.WatchEnd} → {@link CallEnded}), and asks again every {@code
 * REWATCH}: a parent whose node died answers from its next incarnation.
 *
 * <p>With a durable store the ring keeps a {@link RingRecord} ({@code Ring|<parent CallSid>-<ring
 * id>}, a {@link DurableSlot} child: the legs, when it began, the winner once one answered),
 * deleted when the group is over. Each ring of a caller has an id of its own, which its legs carry
 * as the channel variable {@value #RING_VARIABLE} (kept in their {@code LegRecord}), so two rings of
 * one caller at the same time are two rows and a leg found after a restart names its own ring.
 * After a restart {@link #resume} takes it back from there: the legs ring on for what is left of
 * the timeout, or the winner stays taken.
 */
final class ApiRing {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRing.class);
  private static final Duration REWATCH = Duration.ofSeconds(5);
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(20);
  /** The persistence id kind of a ring's state: {@code Ring|<parent CallSid>-<ring id>}. */
  static final String KIND = "Ring";
  /** The channel variable of a ring's legs that names their ring. */
  static final String RING_VARIABLE = "SB_RING";
  private static final String CHILD = "ring-state";

  private ApiRing() {}

  /** Timer keys and messages: ask the parent entity again; stop waiting for the delete. */
  private enum Tick { REWATCH, FORGOTTEN }

  /** The store's answer for a ring taken back after a restart. */
  private record Loaded(Optional<RingRecord> stored, Throwable error) {}

  /** A new ring for {@code parentCallSid} of {@code legs}, each carrying {@code ringId}. */
  static Behavior<Object> create(
      String parentCallSid, String ringId, List<LegSpec> legs, Duration timeout, Duration drain,
      Function<String, RecipientRef<CallCommand>> entities, Instant now) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<RingGroup.Command> group =
          ctx.spawn(
              RingGroup.create(legs, false, timeout, drain, entities, ctx.getSelf().narrow()),
              "ring");
      RingRecord record = new RingRecord(parentCallSid, List.copyOf(legs), now,
          (int) timeout.toSeconds(), Optional.empty());
      Optional<ActorRef<DurableSlot.Command>> slot = slot(ctx, parentCallSid,
          Optional.of(ringId));
      slot.ifPresent(s -> s.tell(new DurableSlot.Save(record)));
      return running(ctx, timers, group, record, slot, entities);
    }));
  }

  /**
   * The ring of {@code parentCallSid} taken back after a restart from its {@link RingRecord}: its
   * legs are told {@link CallCommand.ResumeLeg} (no new origination) and ring on for what is left
   * of the timeout, the first to answer winning; a winner chosen before the restart stays the
   * winner. Without a record (the ring ended, or memory mode) it stops at once. {@code ringId} is
   * the one its legs carry (empty for the legs of a ring kept before rings had ids).
   */
  static Behavior<Object> resume(
      String parentCallSid, Optional<String> ringId, Duration drain,
      Function<String, RecipientRef<CallCommand>> entities, java.time.Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Optional<ActorRef<DurableSlot.Command>> slot = slot(ctx, parentCallSid, ringId);
      if (slot.isEmpty()) {
        return Behaviors.stopped();
      }
      ctx.ask(DurableSlot.Loaded.class, slot.get(), STORE_TIMEOUT, DurableSlot.Get::new,
          (loaded, error) -> new Loaded(loaded == null ? Optional.empty()
              : loaded.value().filter(RingRecord.class::isInstance).map(RingRecord.class::cast),
              error));
      return Behaviors.receive(Object.class)
          .onMessage(Loaded.class, loaded -> {
            if (loaded.stored().isEmpty()) {
              LOG.info("ring for {}: nothing to take back after the restart ({})", parentCallSid,
                  loaded.error() != null ? loaded.error().toString() : "no stored ring");
              return Behaviors.stopped();
            }
            RingRecord record = loaded.stored().get();
            Duration left = Duration.ofSeconds(record.timeoutSeconds())
                .minus(Duration.between(record.ringStartedAt(), clock.instant()));
            LOG.info("ring for {}: taken back after a restart ({} legs{})", parentCallSid,
                record.legs().size(), record.winner().map(w -> ", leg " + w + " won").orElse(""));
            ActorRef<RingGroup.Command> group = ctx.spawn(
                RingGroup.resume(record.legs(), record.winner(),
                    left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left,
                    drain, entities, ctx.getSelf().narrow()),
                "ring");
            return running(ctx, timers, group, record, slot, entities);
          })
          .build();
    }));
  }

  private static Optional<ActorRef<DurableSlot.Command>> slot(
      ActorContext<Object> ctx, String parentCallSid, Optional<String> ringId) {
    return DurableSlot.open(ctx, KIND, key(parentCallSid, ringId), CHILD);
  }

  /**
   * The id of a ring's row: {@code <parent CallSid>-<ring id>} ({@code <parent>} without one; a
   * persistence id may hold no second {@code |}).
   */
  static String key(String parentCallSid, Optional<String> ringId) {
    return ringId.map(id -> parentCallSid + "-" + id).orElse(parentCallSid);
  }

  /** The ring {@code leg} belongs to, as its channel variable names it. */
  static Optional<String> ringOf(LegSpec leg) {
    return Optional.ofNullable(leg.variables().get(RING_VARIABLE));
  }

  /**
   * The group rings: waits for its outcome, the parent's end ({@link CallEnded}, asked again every
   * REWATCH) and the group's end; then forgets the stored ring and stops.
   */
  private static Behavior<Object> running(
      ActorContext<Object> ctx, TimerScheduler<Object> timers, ActorRef<RingGroup.Command> group,
      RingRecord record, Optional<ActorRef<DurableSlot.Command>> slot,
      Function<String, RecipientRef<CallCommand>> entities) {
    String parentCallSid = record.parentCallSid();
    ctx.watch(group);
    RecipientRef<CallCommand> parent = entities.apply(parentCallSid);
    CallCommand.WatchEnd watch = new CallCommand.WatchEnd(ctx.getSelf().narrow());
    parent.tell(watch);
    timers.startTimerWithFixedDelay(Tick.REWATCH, Tick.REWATCH, REWATCH);
    return Behaviors.receive(Object.class)
        .onMessageEquals(Tick.REWATCH, () -> {
          parent.tell(watch);
          return Behaviors.same();
        })
        .onMessage(CallEnded.class, ended -> {
          timers.cancel(Tick.REWATCH);
          LOG.info("ring for {}: the caller is gone; cancelling the legs", parentCallSid);
          group.tell(new RingGroup.CancelAll(LegCancelCause.PARENT_HUNG_UP));
          return Behaviors.same();
        })
        .onMessage(RingOutcome.Answered.class, a -> {
          LOG.info("ring for {}: {} answered", parentCallSid, a.legCallSid());
          slot.ifPresent(s -> s.tell(new DurableSlot.Save(record.won(a.index()))));
          return Behaviors.same();
        })
        .onMessage(RingOutcome.Unanswered.class, u -> {
          LOG.info("ring for {}: nobody answered ({})", parentCallSid, u.status());
          return Behaviors.same();
        })
        .onMessage(RingOutcome.class, o -> Behaviors.same())
        .onSignal(Terminated.class, t -> t.getRef().equals(group)
            ? forgetting(ctx, timers, slot) : Behaviors.stopped())
        .build();
  }

  /**
   * The group is over: the stored ring is deleted; stops once its slot has (a child stopped with
   * its parent could drop the delete), or after FORGOTTEN.
   */
  private static Behavior<Object> forgetting(
      ActorContext<Object> ctx, TimerScheduler<Object> timers,
      Optional<ActorRef<DurableSlot.Command>> slot) {
    if (slot.isEmpty()) {
      return Behaviors.stopped();
    }
    timers.cancelAll();
    ctx.watch(slot.get());
    slot.get().tell(new DurableSlot.Forget());
    timers.startSingleTimer(Tick.FORGOTTEN, Tick.FORGOTTEN, STORE_TIMEOUT);
    return Behaviors.receive(Object.class)
        .onMessageEquals(Tick.FORGOTTEN, () -> Behaviors.stopped())
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .onMessage(Object.class, o -> Behaviors.same())
        .build();
  }
}
