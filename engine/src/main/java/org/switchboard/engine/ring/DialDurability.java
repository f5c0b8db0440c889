package org.switchboard.engine.ring;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.Durable;
import org.switchboard.engine.protocol.LegSpec;

/**
 * Keeps a {@link DialSession}'s {@link DialRecord} at its boundaries: the legs ring, the winner's
 * bridge is up, the bridge recording started; the record goes with the dial's end. A child of the
 * dial session (one row per dial in progress); nothing is kept in memory mode.
 */
final class DialDurability {
  /** The persistence id kind of a dial's state: {@code Dial|<parent CallSid>}. */
  static final String KIND = "Dial";
  private static final String CHILD = "dial-state";

  private final Supplier<Optional<ActorRef<DurableSlot.Command>>> open;
  private Optional<ActorRef<DurableSlot.Command>> slot;
  private Optional<Durable> last;

  private DialDurability(
      Supplier<Optional<ActorRef<DurableSlot.Command>>> open, Optional<Durable> last) {
    this.open = open;
    this.last = last;
  }

  /** The dial state of the call {@code parentCallSid}, a child of {@code ctx}. */
  static <T> Optional<ActorRef<DurableSlot.Command>> slot(ActorContext<T> ctx, String parentCallSid) {
    return DurableSlot.open(ctx, KIND, parentCallSid, CHILD);
  }

  /** Keeps a new dial's state. */
  static <T> DialDurability of(ActorContext<T> ctx, String parentCallSid) {
    return new DialDurability(() -> slot(ctx, parentCallSid), Optional.empty());
  }

  /**
   * Keeps on with the state {@code stored} (a {@link DialRecord}, {@link DialSequence}, {@link
   * QueueWaitRecord}, {@link QueueDequeueRecord} or {@link QueueDialRecord}) of a dial taken back
   * after a restart.
   */
  static DialDurability resumed(ActorRef<DurableSlot.Command> slot, Durable stored) {
    return new DialDurability(() -> Optional.of(slot), Optional.of(stored));
  }

  void ringing(ParentCall parent, List<LegSpec> legs, Instant since) {
    save(new DialRecord(parent, List.copyOf(legs), since, Optional.empty()));
  }

  void bridged(DialRecord.Bridged bridged) {
    dialRecord().ifPresent(r -> save(r.withBridged(bridged)));
  }

  /** A sequential dial started its leg {@code current} at {@code since}. */
  void sequenceAt(int current, List<String> endedStatuses, Instant since) {
    dialRecord().ifPresent(r -> save(new DialSequence(r, current, endedStatuses, since)));
  }

  private Optional<DialRecord> dialRecord() {
    Durable now = last.orElse(null);
    return now instanceof DialRecord r ? Optional.of(r)
        : now instanceof DialSequence s ? Optional.of(s.dial()) : Optional.empty();
  }

  /** A {@code <Dial><Queue>} waits for a caller of {@code queueName} since {@code since}. */
  void queueWaiting(ParentCall parent, String queueName, Instant since) {
    save(new QueueWaitRecord(parent, queueName, since));
  }

  /** A caller was taken out of a queue ({@code <Dial><Queue>}): it is bridged next. */
  void dequeued(ParentCall parent, String queueSid, String queueName, int queueTimeSeconds,
      String memberCallSid, ChannelRef memberChannel, Instant enqueuedAt) {
    save(new QueueDequeueRecord(parent, queueSid, queueName, queueTimeSeconds, memberCallSid,
        memberChannel, enqueuedAt));
  }

  /** The caller taken out of a queue is bridged ({@code <Dial><Queue>}). */
  void queueBridged(ParentCall parent, String queueSid, String queueName, int queueTimeSeconds,
      DialRecord.Bridged bridged) {
    save(new QueueDialRecord(parent, queueSid, queueName, queueTimeSeconds, bridged));
  }

  void recordingStarted() {
    Durable now = last.orElse(null);
    if (now instanceof DialRecord r && r.bridged().isPresent()) {
      DialRecord.Bridged b = r.bridged().get();
      bridged(new DialRecord.Bridged(
          b.legCallSid(), b.channel(), b.legIndex(), b.bridgedAt(), b.recordingSid(), true));
    } else if (now instanceof QueueDialRecord q) {
      save(q.withRecordingStarted());
    }
  }

  /** The dial is over: its state goes; answers the state actor to wait for, if any. */
  Optional<ActorRef<DurableSlot.Command>> forget() {
    if (last.isEmpty()) {
      return Optional.empty();
    }
    last = Optional.empty();
    slot().ifPresent(s -> s.tell(new DurableSlot.Forget()));
    return slot();
  }

  private void save(Durable record) {
    last = Optional.of(record);
    slot().ifPresent(s -> s.tell(new DurableSlot.Save(record)));
  }

  /** The slot, opened on the first write: a dial that never rings keeps nothing. */
  private Optional<ActorRef<DurableSlot.Command>> slot() {
    if (slot == null) {
      slot = open.get();
    }
    return slot;
  }
}
