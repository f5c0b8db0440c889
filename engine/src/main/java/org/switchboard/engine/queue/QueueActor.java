package org.switchboard.engine.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * One queue ({@code <Enqueue>} / {@code <Dial><Queue>}, spec §4.10–4.11): a FIFO of callers and a
 * FIFO of dequeuers waiting for one. Designed as a sharding entity keyed by queue name; every
 * message is a {@link ClusterMessage}. The queue holds no channels: it only decides who is next.
 *
 * <p>A sharded queue ({@link Sharded}) that stayed empty, with nobody waiting to dequeue, for
 * {@link QueueSettings#idleTimeout()} asks its shard to passivate it: applications that name a
 * queue per call would otherwise keep one actor per call forever. A command that reaches it while
 * it passivates is sent back through sharding, which holds it for the queue's next incarnation.
 * Outside sharding a queue lives as long as its parent.
 */
public final class QueueActor {
  private static final Logger LOG = LoggerFactory.getLogger(QueueActor.class);

  /** Messages of a queue. */
  public sealed interface Command extends ClusterMessage {}

  /**
   * Puts a caller at the back of the queue. Replies {@link Joined} or {@link Full} (the caller's
   * Enqueue then ends with {@code QueueResult=queue-full}).
   *
   * @param notices where the caller's call actor takes {@link QueueNotice}s
   * @param maxSize {@code <Enqueue maxQueueSize>}; empty: the configured default
   */
  public record Join(
      String callSid,
      ChannelRef channel,
      ActorRef<QueueNotice> notices,
      OptionalInt maxSize,
      ActorRef<JoinReply> replyTo)
      implements Command {}

  /** Why a caller leaves the queue without being dequeued. */
  public enum LeaveReason {
    /** {@code <Leave>}. */
    LEAVE,
    /** The caller hung up. */
    HANGUP,
    /** A REST update moved the call out of the queue. */
    REDIRECTED
  }

  /** Takes a caller out of the queue; unknown callers are ignored. */
  public record Leave(String callSid, LeaveReason reason) implements Command {}

  /**
   * Puts a caller back after a restart of its node (its call resumed from a checkpoint): at the
   * place a join at {@code enqueuedAt} gives, ahead of everyone who joined later. Replies as
   * {@link Join}.
   */
  public record Rejoin(Join join, Instant enqueuedAt) implements Command {}

  /** Puts a member handed to a dequeuer that went away back at the front, with its old time. */
  public record Requeue(Member member) implements Command {}

  /**
   * Asks for the caller at the front, waiting up to {@code timeout} if the queue is empty.
   * Replies {@link Dequeued} or, after the timeout, {@link NoMember}. Waiters are served FIFO.
   */
  public record DequeueFront(String byCallSid, Duration timeout, ActorRef<DequeueReply> replyTo)
      implements Command {}

  /**
   * Withdraws a waiting {@link DequeueFront} (the dequeuer hung up). The waiter gets {@link
   * NoMember} if it was still waiting; if a {@link Dequeued} already went out, nothing more comes
   * and the dequeuer must {@link Requeue} the member.
   */
  public record CancelDequeue(String byCallSid) implements Command {}

  /** Asks for a caller's position (for waitUrl parameters). Replies a {@link PositionReply}. */
  public record GetPosition(String callSid, ActorRef<PositionReply> replyTo) implements Command {}

  /** Asks for the queue's REST view. Replies {@link QueueStats}. */
  public record GetStats(ActorRef<QueueStats> replyTo) implements Command {}

  /**
   * Sets the size limit of members that join without their own (the Queues REST resource's
   * {@code MaxSize}); members already in the queue stay.
   */
  public record Resize(int maxSize) implements Command {}

  /** A caller in the queue. */
  public record Member(
      String callSid, ChannelRef channel, ActorRef<QueueNotice> notices, Instant enqueuedAt)
      implements ClusterMessage {}

  /** Reply to {@link Join}. */
  public sealed interface JoinReply extends ClusterMessage {}

  /**
   * Joined at {@code position} (1 = front), at {@code enqueuedAt} (the time its place is ordered
   * by), in the queue's {@code incarnation}: a queue that starts again (its node died, its entity
   * restarted on another) has a new one and has forgotten its members.
   */
  public record Joined(String queueSid, int position, int size, int maxSize, Instant enqueuedAt,
      String incarnation) implements JoinReply {
    /** A reply whose time and incarnation nobody reads (tests). */
    public Joined(String queueSid, int position, int size, int maxSize) {
      this(queueSid, position, size, maxSize, Instant.EPOCH, "");
    }
  }

  /** The queue is at capacity. */
  public record Full(String queueSid, int size, int maxSize) implements JoinReply {}

  /** Reply to {@link DequeueFront}. */
  public sealed interface DequeueReply extends ClusterMessage {}

  /** The front member, now out of the queue; {@code queueTimeSeconds} it waited. */
  public record Dequeued(String queueSid, String queueName, Member member, int queueTimeSeconds)
      implements DequeueReply {}

  /** Nobody joined before the timeout. */
  public record NoMember(String queueSid) implements DequeueReply {}

  /** Reply to {@link GetPosition}. */
  public sealed interface PositionReply extends ClusterMessage {}

  /** The waitUrl parameters of one caller (§1.3). */
  public record Position(
      String queueSid, int position, int size, int maxSize, int queueTimeSeconds, int averageWaitSeconds)
      implements PositionReply {}

  /**
   * The caller is not in this queue's {@code incarnation}: it left or was dequeued (same
   * incarnation as its {@link Joined}), or the queue started again without it (another).
   */
  public record NotQueued(String queueSid, String incarnation) implements PositionReply {
    /** A reply whose incarnation nobody reads (tests). */
    public NotQueued(String queueSid) {
      this(queueSid, "");
    }
  }

  private record WaiterExpired(String byCallSid) implements Command {}

  private record IdleExpired() implements Command {}

  /**
   * A queue that is a sharding entity: {@code shard} passivates it, {@code self} is its own entity
   * ref (for commands that arrive while it passivates), {@code retired} is told its name once it
   * passivates.
   */
  public record Sharded(
      ActorRef<ClusterSharding.ShardCommand> shard, EntityRef<Command> self, Consumer<String> retired) {}

  private static final String IDLE = "idle";

  private record Waiter(String byCallSid, ActorRef<DequeueReply> replyTo) {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String name;
  private final String queueSid;
  private final QueueSettings settings;
  private final Optional<Sharded> sharded;
  private final String incarnation = java.util.UUID.randomUUID().toString();
  private final Deque<Member> members = new ArrayDeque<>();
  private final Map<String, Integer> maxSizes = new LinkedHashMap<>();
  private final Map<String, Waiter> waiters = new LinkedHashMap<>();
  private final Deque<Long> recentWaits = new ArrayDeque<>();
  private int defaultMax;

  private QueueActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String name,
      QueueSettings settings,
      Optional<Sharded> sharded) {
    this.context = context;
    this.timers = timers;
    this.name = name;
    this.queueSid = Sids.named("QU", name);
    this.settings = settings;
    this.sharded = sharded;
    this.defaultMax = settings.defaultMaxSize();
  }

  /** The queue named {@code name}, outside sharding (it never passivates). */
  public static Behavior<Command> create(String name, QueueSettings settings) {
    return create(name, settings, Optional.empty());
  }

  /** The queue named {@code name} (the entity id when {@code sharded}). */
  public static Behavior<Command> create(String name, QueueSettings settings, Optional<Sharded> sharded) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  QueueActor queue = new QueueActor(ctx, timers, name, settings, sharded);
                  queue.watchIdle();
                  return queue.serving();
                }));
  }

  /** The queue's id: {@code QU} + a digest of its name. */
  public static String queueSid(String name) {
    return Sids.named("QU", name);
  }

  /** Serving until it passivates: members and waiters change, the behaviour does not. */
  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(Join.class, m -> watched(onJoin(m)))
        .onMessage(Rejoin.class, m -> watched(onRejoin(m)))
        .onMessage(Leave.class, m -> watched(onLeave(m)))
        .onMessage(Requeue.class, m -> watched(onRequeue(m)))
        .onMessage(DequeueFront.class, m -> watched(onDequeueFront(m)))
        .onMessage(CancelDequeue.class, m -> watched(onCancelDequeue(m)))
        .onMessage(WaiterExpired.class, m -> watched(onWaiterExpired(m)))
        .onMessage(GetPosition.class, this::onGetPosition)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Resize.class, this::onResize)
        .onMessage(IdleExpired.class, m -> onIdleExpired())
        .build();
  }

  private Behavior<Command> watched(Behavior<Command> next) {
    watchIdle();
    return next;
  }

  /** A sharded queue times how long it stays empty; any caller or waiter stops the clock. */
  private void watchIdle() {
    if (sharded.isEmpty()) {
      return;
    }
    if (!members.isEmpty() || !waiters.isEmpty()) {
      timers.cancel(IDLE);
    } else if (!timers.isTimerActive(IDLE)) {
      timers.startSingleTimer(IDLE, new IdleExpired(), settings.idleTimeout());
    }
  }

  private Behavior<Command> onIdleExpired() {
    if (!members.isEmpty() || !waiters.isEmpty()) {
      return Behaviors.same();
    }
    Sharded s = sharded.orElseThrow(); // the idle timer runs only when sharded
    LOG.debug("queue {} empty for {}; passivating", name, settings.idleTimeout());
    s.retired().accept(name);
    s.shard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    return Behaviors.receiveMessage(
        message -> {
          if (!(message instanceof IdleExpired) && !(message instanceof WaiterExpired)) {
            s.self().tell(message);
          }
          return Behaviors.same();
        });
  }

  private Behavior<Command> onJoin(Join join) {
    int max = join.maxSize().orElse(defaultMax);
    int already = indexOf(join.callSid());
    if (already >= 0) {
      join.replyTo().tell(joined(already, max));
      return Behaviors.same();
    }
    if (members.size() >= max) {
      LOG.info("queue {} full ({} of {}); {} refused", name, members.size(), max, join.callSid());
      join.replyTo().tell(new Full(queueSid, members.size(), max));
      return Behaviors.same();
    }
    Member member = new Member(join.callSid(), join.channel(), join.notices(), settings.clock().instant());
    members.addLast(member);
    maxSizes.put(member.callSid(), max);
    join.replyTo().tell(joined(members.size() - 1, max));
    serveWaiters();
    return Behaviors.same();
  }

  private Behavior<Command> onRejoin(Rejoin rejoin) {
    Join join = rejoin.join();
    int already = indexOf(join.callSid());
    if (already >= 0) {
      // Its call resumed on another node while this queue lived on: same place, new address.
      List<Member> kept = new ArrayList<>(members);
      Member old = kept.get(already);
      kept.set(already, new Member(old.callSid(), join.channel(), join.notices(), old.enqueuedAt()));
      members.clear();
      members.addAll(kept);
      LOG.info("{} back in queue {} at its position {}", join.callSid(), name, already + 1);
      join.replyTo().tell(joined(already, maxSizes.getOrDefault(join.callSid(), defaultMax)));
      return Behaviors.same();
    }
    int max = join.maxSize().orElse(settings.defaultMaxSize());
    if (members.size() >= max) {
      LOG.info("queue {} full ({} of {}); {} not taken back", name, members.size(), max,
          join.callSid());
      join.replyTo().tell(new Full(queueSid, members.size(), max));
      return Behaviors.same();
    }
    List<Member> ordered = new ArrayList<>(members);
    int at = 0;
    while (at < ordered.size() && !ordered.get(at).enqueuedAt().isAfter(rejoin.enqueuedAt())) {
      at++;
    }
    ordered.add(at, new Member(join.callSid(), join.channel(), join.notices(), rejoin.enqueuedAt()));
    members.clear();
    members.addAll(ordered);
    maxSizes.put(join.callSid(), max);
    LOG.info("{} back in queue {} at position {} (joined {})", join.callSid(), name, at + 1,
        rejoin.enqueuedAt());
    join.replyTo().tell(joined(at, max));
    serveWaiters();
    return Behaviors.same();
  }

  private Behavior<Command> onLeave(Leave leave) {
    if (members.removeIf(m -> m.callSid().equals(leave.callSid()))) {
      maxSizes.remove(leave.callSid());
      LOG.debug("{} left queue {} ({})", leave.callSid(), name, leave.reason());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRequeue(Requeue requeue) {
    if (indexOf(requeue.member().callSid()) < 0) {
      members.addFirst(requeue.member());
      maxSizes.putIfAbsent(requeue.member().callSid(), defaultMax);
    }
    serveWaiters();
    return Behaviors.same();
  }

  private Behavior<Command> onDequeueFront(DequeueFront request) {
    waiters.put(request.byCallSid(), new Waiter(request.byCallSid(), request.replyTo()));
    serveWaiters();
    if (waiters.containsKey(request.byCallSid())) {
      timers.startSingleTimer(
          request.byCallSid(), new WaiterExpired(request.byCallSid()), request.timeout());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onCancelDequeue(CancelDequeue cancel) {
    Waiter waiter = waiters.remove(cancel.byCallSid());
    timers.cancel(cancel.byCallSid());
    if (waiter != null) {
      waiter.replyTo().tell(new NoMember(queueSid));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onWaiterExpired(WaiterExpired expired) {
    Waiter waiter = waiters.remove(expired.byCallSid());
    if (waiter != null) {
      waiter.replyTo().tell(new NoMember(queueSid));
    }
    return Behaviors.same();
  }

  private void serveWaiters() {
    Iterator<Waiter> it = waiters.values().iterator();
    while (it.hasNext() && !members.isEmpty()) {
      Waiter waiter = it.next();
      it.remove();
      timers.cancel(waiter.byCallSid());
      Member member = members.removeFirst();
      maxSizes.remove(member.callSid());
      long waited = Math.max(0, Duration.between(member.enqueuedAt(), settings.clock().instant()).toSeconds());
      recentWaits.addLast(waited);
      while (recentWaits.size() > settings.averageWindow()) {
        recentWaits.removeFirst();
      }
      LOG.debug("{} dequeued from {} by {} after {}s", member.callSid(), name, waiter.byCallSid(), waited);
      waiter.replyTo().tell(new Dequeued(queueSid, name, member, (int) waited));
    }
  }

  private Behavior<Command> onGetPosition(GetPosition get) {
    int index = indexOf(get.callSid());
    if (index < 0) {
      get.replyTo().tell(new NotQueued(queueSid, incarnation));
      return Behaviors.same();
    }
    Member member = memberAt(index);
    get.replyTo()
        .tell(
            new Position(
                queueSid,
                index + 1,
                members.size(),
                maxSizes.getOrDefault(get.callSid(), defaultMax),
                waitOf(member),
                averageWait()));
    return Behaviors.same();
  }

  private Behavior<Command> onGetStats(GetStats get) {
    List<QueueMember> list = new ArrayList<>();
    int position = 1;
    for (Member m : members) {
      list.add(new QueueMember(m.callSid(), position++, waitOf(m), m.enqueuedAt()));
    }
    get.replyTo()
        .tell(new QueueStats(queueSid, name, members.size(), defaultMax, averageWait(), list));
    return Behaviors.same();
  }

  private Behavior<Command> onResize(Resize resize) {
    LOG.info("queue {}: max size {} -> {}", name, defaultMax, resize.maxSize());
    defaultMax = resize.maxSize();
    return Behaviors.same();
  }

  private Joined joined(int index, int max) {
    return new Joined(queueSid, index + 1, members.size(), max, memberAt(index).enqueuedAt(),
        incarnation);
  }

  /** The member at {@code index} (valid), walking the deque instead of copying it. */
  private Member memberAt(int index) {
    Iterator<Member> it = members.iterator();
    for (int i = 0; i < index; i++) {
      it.next();
    }
    return it.next();
  }

  private int indexOf(String callSid) {
    int i = 0;
    for (Member m : members) {
      if (m.callSid().equals(callSid)) {
        return i;
      }
      i++;
    }
    return -1;
  }

  private int waitOf(Member member) {
    return (int) Math.max(0, Duration.between(member.enqueuedAt(), settings.clock().instant()).toSeconds());
  }

  private int averageWait() {
    if (recentWaits.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (long w : recentWaits) {
      sum += w;
    }
    return (int) Math.round((double) sum / recentWaits.size());
  }
}
