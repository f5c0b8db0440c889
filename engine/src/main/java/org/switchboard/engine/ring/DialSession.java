package org.switchboard.engine.ring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.LatePlays;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.SoundSpans;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.Durable;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Queue;
import org.switchboard.engine.twiml.verb.Sip;

/**
 * The whole of one {@code <Dial>} of a parent call, as a child actor of the call actor. Rings the
 * Number/Sip/Client nouns through a {@link RingGroup} (ringback to the caller meanwhile, or {@code
 * ring} on the unanswered caller with answerOnBridge), or takes the front caller of a queue for
 * {@code <Dial><Queue>}; then bridges through {@link BridgeSession}, and replies one {@link
 * DialEnded}. The parent forwards its channel's events and its bridge's events as {@link
 * ParentEvent}.
 */
public final class DialSession {
  private static final Logger LOG = LoggerFactory.getLogger(DialSession.class);
  private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(20);
  private static final String FORGOTTEN = "forgotten";

  /** Messages of a dial session. */
  public sealed interface Command {}

  /**
   * An event the parent call received that the dial needs: the parent channel's {@code
   * DtmfReceived}, {@code LeftBridge}, {@code StasisLeft}, {@code ChannelDestroyed}, and the
   * bridge-scoped events of {@link ParentCall#bridgeId()} ({@code Recording*}).
   */
  public record ParentEvent(ChannelEvent event) implements Command {}

  /**
   * The parent's server {@code serverId} resynced: a node may have died (or left) with some of
   * the dial's leg entities, whose shards started elsewhere without them; the ring group takes
   * its live legs back ({@link RingGroup.TakeBack}).
   */
  public record ServerResynced(String serverId) implements Command {}

  /** Ends the dial now (REST redirect or hangup of the parent); the parent stays up. */
  public record Cancel(String reason) implements Command {}

  record Ring(RingOutcome outcome) implements Command {}

  record QueueReply(QueueActor.DequeueReply reply) implements Command {}

  record Member(QueueNotice.MemberReply reply) implements Command {}

  record Step(String what, Optional<Throwable> error) implements Command {}

  record Tick(String key) implements Command {}

  /**
   * The store's answer for a dial taken back after a restart: a {@link DialRecord} or a {@link
   * QueueDialRecord}.
   */
  private record Resumed(Optional<Durable> stored, Throwable error) implements Command {}

  /** What {@code trim="trim-silence"} keeps of the finished dial recording {@code sid}. */
  record RecordingMeasured(String sid, Optional<SoundSpan> kept) implements Command {}

  /**
   * Asterisk answered whether the caller a {@code <Dial><Queue>} had taken out of its queue before
   * a restart still has its channel ({@link #resumeDequeued}).
   */
  private record DequeuedCallerFound(
      QueueDequeueRecord stored, Optional<ChannelEvent.ChannelInfo> channel, Throwable error)
      implements Command {}

  /** The length of a stored recording read back from Asterisk, or why it could not be. */
  record StoredRecording(String name, Optional<Integer> seconds, Optional<Throwable> error)
      implements Command {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ParentCall parent;
  private final Dial dial;
  private final DialContext ctx;
  private final ActorRef<DialEnded> replyTo;
  private final List<Dial.Noun> ringNouns = new ArrayList<>();
  private ActorRef<RingGroup.Command> group;
  private boolean parentGone;
  /** The legs' own PJSIP objects of {@code <Sip username password>}, until the dial ends. */
  private Optional<SipCredentials> sipCredentials = Optional.empty();
  private static final String SIP_CREDENTIALS = "sipCredentials";
  private boolean stopping;
  /** The ringback tone's playback ({@code <Dial ringTone>}), until it is stopped. */
  private LatePlays.Play ringbackPlayback;
  private DialDurability durability;
  private int winnerIndex = -1;

  private DialSession(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ParentCall parent,
      Dial dial,
      DialContext ctx,
      ActorRef<DialEnded> replyTo) {
    this.context = context;
    this.timers = timers;
    this.parent = parent;
    this.dial = dial;
    this.ctx = ctx;
    this.replyTo = replyTo;
    this.durability = DialDurability.of(context, parent.callSid());
  }

  /** Runs {@code dial} for {@code parent}; one {@link DialEnded} goes to {@code replyTo}. */
  public static Behavior<Command> create(
      ParentCall parent, Dial dial, DialContext ctx, ActorRef<DialEnded> replyTo) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DialSession(context, timers, parent, dial, ctx, replyTo).begin()));
  }

  private Behavior<Command> begin() {
    Dial.Noun first = dial.nouns().get(0);
    if (first instanceof org.switchboard.engine.twiml.verb.Conference) {
      LOG.error("{} <Dial><Conference> is not run by DialSession", parent.callSid());
      return finish(DialStatuses.FAILED, Optional.empty());
    }
    startRingback();
    if (first instanceof Queue queue) {
      return new QueueDial(context, timers, this, queue).start();
    }
    List<LegSpec> specs = new ArrayList<>();
    for (Dial.Noun noun : dial.nouns()) {
      ringNouns.add(noun);
      specs.add(DialLegs.legSpec(noun, parent, dial, ctx));
    }
    sipCredentials = SipCredentials.of(dial.nouns(), specs, ctx.ari(),
        parent.channel().serverId(), ctx.plan().sipEndpoint());
    if (sipCredentials.isPresent()) {
      pipe(SIP_CREDENTIALS, sipCredentials.get().create());
      return provisioning(specs);
    }
    return ring(specs);
  }

  /**
   * {@code <Sip username password>}: the legs' PJSIP auth and endpoint are being made ({@link
   * SipCredentials}). Waits for them, then rings; refused by Asterisk, the dial fails; the
   * parent's hangup or {@link Cancel} meanwhile ends it {@code canceled}.
   */
  private Behavior<Command> provisioning(List<LegSpec> specs) {
    return Behaviors.receive(Command.class)
        .onMessage(Step.class, s -> {
          if (!s.what().equals(SIP_CREDENTIALS)) {
            return onStep(s);
          }
          if (s.error().isPresent()) {
            LOG.warn("{} <Sip> credentials could not be made on Asterisk: {}; the dial fails",
                parent.callSid(), Failures.cause(s.error().get()).getMessage());
            stopRingback();
            return finish(DialStatuses.FAILED, Optional.empty());
          }
          return ring(specs);
        })
        .onMessage(ParentEvent.class, e -> {
          if (!isParentGone(e.event())) {
            return Behaviors.same();
          }
          parentGone = true;
          return finish(DialStatuses.CANCELED, Optional.empty());
        })
        .onMessage(Cancel.class, c -> {
          stopRingback();
          return finish(DialStatuses.CANCELED, Optional.empty());
        })
        .build();
  }

  /** Rings {@code specs}. */
  private Behavior<Command> ring(List<LegSpec> specs) {
    group =
        context.spawn(
            RingGroup.create(
                specs,
                dial.sequential(),
                Duration.ofSeconds(dial.timeout()),
                ctx.settings().drainTimeout(),
                ctx.callEntities(),
                context.messageAdapter(RingOutcome.class, Ring::new)),
            "ring");
    durability.ringing(parent, specs, ctx.settings().clock().instant());
    return ringing();
  }

  /**
   * Takes back the {@code <Dial>} {@code dial} of the call {@code callSid} on {@code channel}
   * after a restart, from its {@link DialRecord}: legs that were ringing ring on (what is left of
   * the timeout) and the first to answer wins; a bridged leg stays bridged, with its recording, and
   * the dial ends as usual when either side goes; so does a {@code <Dial><Queue>} bridged to the
   * caller it took out of the queue ({@link QueueDialRecord}), or taken it out ({@link
   * QueueDequeueRecord}); a {@code <Dial><Queue>} still waiting for a caller waits on ({@link
   * QueueWaitRecord}). Without a record (memory mode, a dial stopped before it rang) it ends
   * {@code failed}. Events arriving meanwhile wait.
   */
  public static Behavior<Command> resume(
      String callSid, ChannelRef channel, Dial dial, DialContext ctx,
      ActorRef<DialEnded> replyTo) {
    return Behaviors.withStash(256, stash -> Behaviors.setup(context -> Behaviors.withTimers(
        timers -> {
          Optional<ActorRef<DurableSlot.Command>> slot = DialDurability.slot(context, callSid);
          if (slot.isEmpty()) {
            return endResumed(callSid, replyTo, "no store");
          }
          context.ask(DurableSlot.Loaded.class, slot.get(), RESUME_TIMEOUT,
              DurableSlot.Get::new, (loaded, error) -> new Resumed(
                  loaded == null ? Optional.empty() : loaded.value(), error));
          return Behaviors.receive(Command.class)
              .onMessage(Resumed.class, r -> {
                if (r.stored().isEmpty()) {
                  return endResumed(callSid, replyTo,
                      r.error() != null ? r.error().toString() : "the store has no state for it");
                }
                Durable stored = r.stored().get();
                DialSession session = new DialSession(
                    context, timers, parentOf(stored), dial, ctx, replyTo);
                session.durability = DialDurability.resumed(slot.get(), stored);
                return stash.unstashAll(session.resumeFrom(stored));
              })
              .onMessage(Command.class, other -> {
                if (!stash.isFull()) {
                  stash.stash(other);
                }
                return Behaviors.same();
              })
              .build();
        })));
  }

  private static Behavior<Command> endResumed(
      String callSid, ActorRef<DialEnded> replyTo, String why) {
    LOG.warn("{} <Dial> not taken back after the restart ({}): it ends as failed", callSid, why);
    replyTo.tell(new DialEnded(DialStatuses.FAILED, Optional.empty(), OptionalInt.empty(), false,
        false, Optional.empty(), Optional.empty()));
    return Behaviors.stopped();
  }

  private static ParentCall parentOf(Durable stored) {
    if (stored instanceof QueueDialRecord q) {
      return q.parent();
    } else if (stored instanceof QueueWaitRecord w) {
      return w.parent();
    } else if (stored instanceof QueueDequeueRecord d) {
      return d.parent();
    } else if (stored instanceof DialSequence seq) {
      return seq.dial().parent();
    } else if (stored instanceof DialRecord record) {
      return record.parent();
    }
    throw new IllegalStateException("not a dial's state: " + stored.getClass().getSimpleName());
  }

  private Behavior<Command> resumeFrom(Durable stored) {
    if (stored instanceof QueueDialRecord q) {
      return resumeQueueBridge(q);
    } else if (stored instanceof QueueWaitRecord w) {
      return resumeQueueWait(w);
    } else if (stored instanceof QueueDequeueRecord d) {
      return resumeDequeued(d);
    } else if (stored instanceof DialSequence seq) {
      return resumeSequence(seq);
    }
    return resumeRing((DialRecord) stored);
  }

  private Behavior<Command> resumeRing(DialRecord stored) {
    if (dial.sequential() && stored.bridged().isEmpty()) {
      // Stopped before its first leg's start was kept: the sequence goes on from that leg.
      return resumeSequence(new DialSequence(stored, 0, List.of(), stored.ringStartedAt()));
    }
    ringNouns.addAll(dial.nouns());
    keepSipCredentials(stored.legs());
    Optional<Integer> won = stored.bridged().map(DialRecord.Bridged::legIndex);
    Duration rang = Duration.between(stored.ringStartedAt(), ctx.settings().clock().instant());
    Duration left = Duration.ofSeconds(dial.timeout()).minus(rang);
    group =
        context.spawn(
            RingGroup.resume(
                stored.legs(),
                won,
                left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left,
                ctx.settings().drainTimeout(),
                ctx.callEntities(),
                context.messageAdapter(RingOutcome.class, Ring::new)),
            "ring");
    if (stored.bridged().isEmpty()) {
      LOG.info("{} <Dial> taken back after a restart: {} legs ring on", parent.callSid(),
          stored.legs().size());
      return ringing();
    }
    DialRecord.Bridged b = stored.bridged().get();
    winnerIndex = b.legIndex();
    LOG.info("{} <Dial> taken back after a restart: bridged to {}", parent.callSid(),
        b.legCallSid());
    BridgeSession.Peer peer = new BridgeSession.Peer(b.legCallSid(), b.channel(), true);
    return new BridgeSession(timers, this, peer, Optional.empty(), b.recordingSid())
        .resumed(b.bridgedAt(), b.recordingStarted());
  }

  /**
   * A {@code <Dial><Queue>} taken back while it waited for a caller: it waits on in its queue
   * (which the queued callers rejoin as their calls resume) for what is left of its timeout, and
   * the first caller to come is dequeued and bridged as before the restart.
   */
  private Behavior<Command> resumeQueueWait(QueueWaitRecord stored) {
    if (!(dial.nouns().get(0) instanceof Queue queue)) {
      throw new IllegalStateException("a queue wait stored for a <Dial> without <Queue>");
    }
    java.time.Instant deadline = stored.waitStartedAt().plusSeconds(dial.timeout());
    LOG.info("{} <Dial><Queue> taken back after a restart: waits on for a caller of {} until {}",
        parent.callSid(), queue.name(), deadline);
    return new QueueDial(context, timers, this, queue, stored.waitStartedAt()).start();
  }

  /**
   * A {@code <Dial><Queue>} taken back between the dequeue and the bridge (the {@code <Queue url>}
   * announcement played to the caller it took): Asterisk is asked whether the caller's channel is
   * still there (a stale dequeue is dropped, {@link #onDequeuedCallerFound}); the caller, resumed
   * awaiting its bridge, is bridged at once and watched as in {@link #resumeQueueBridge}; the
   * rest of the announcement is not played.
   */
  private Behavior<Command> resumeDequeued(QueueDequeueRecord stored) {
    context.pipeToSelf(ctx.ari().channel(stored.memberChannel()), (channel, error) ->
        new DequeuedCallerFound(stored, channel == null ? Optional.empty() : channel, error));
    return Behaviors.withStash(256, stash -> Behaviors.receive(Command.class)
        .onMessage(DequeuedCallerFound.class,
            found -> stash.unstashAll(onDequeuedCallerFound(found)))
        .onMessage(Command.class, other -> {
          if (!stash.isFull()) {
            stash.stash(other);
          }
          return Behaviors.same();
        })
        .build());
  }

  /**
   * The dequeued caller's channel is gone (it hung up before or during the restart): the stored
   * dequeue is stale, nothing is bridged and nobody is told anything; the record is replaced by a
   * wait and the dial waits for the next caller, with its whole timeout (when the wait began is not
   * in the dequeue's record). A channel Asterisk still has (or an Asterisk that could not answer)
   * is bridged ({@link #bridgeDequeued}).
   */
  private Behavior<Command> onDequeuedCallerFound(DequeuedCallerFound found) {
    QueueDequeueRecord stored = found.stored();
    if (found.error() == null && found.channel().isEmpty()
        && dial.nouns().get(0) instanceof Queue queue) {
      LOG.warn("{} <Dial><Queue> taken back after a restart: the caller {} it had taken out of {}"
          + " is gone; the stale dequeue is dropped and the dial waits for the next caller",
          parent.callSid(), stored.memberCallSid(), stored.queueName());
      return new QueueDial(context, timers, this, queue).start();
    }
    if (found.error() != null) {
      LOG.warn("{} <Dial><Queue> taken back: asking Asterisk about the dequeued caller {} failed"
          + " ({}); bridging it", parent.callSid(), stored.memberCallSid(),
          found.error().toString());
    }
    return bridgeDequeued(stored);
  }

  private Behavior<Command> bridgeDequeued(QueueDequeueRecord stored) {
    LOG.info("{} <Dial><Queue> taken back after a restart before its bridge to {}: bridging now",
        parent.callSid(), stored.memberCallSid());
    BridgeSession.Peer peer =
        new BridgeSession.Peer(stored.memberCallSid(), stored.memberChannel(), false);
    QueueActor.Member member = new QueueActor.Member(stored.memberCallSid(),
        stored.memberChannel(), context.getSystem().ignoreRef(), stored.enqueuedAt());
    BridgeSession.QueueInfo queue = new BridgeSession.QueueInfo(
        stored.queueSid(), stored.queueName(), member, stored.queueTimeSeconds(), true);
    return new BridgeSession(timers, this, peer, Optional.of(queue)).startWithMemberTakenBack();
  }

  /**
   * A dial taken back with {@code <Sip username password>} legs ({@code legs}, as stored): their
   * PJSIP objects, made by the incarnation that rang them, are this dial's to delete when it ends
   * ({@link #finish}), as if it had made them (their ids follow from the legs' channels).
   */
  private void keepSipCredentials(List<LegSpec> legs) {
    sipCredentials = SipCredentials.of(dial.nouns(), legs, ctx.ari(),
        parent.channel().serverId(), ctx.plan().sipEndpoint());
  }

  /**
   * The sequential dial taken back at the leg that rang before the restart: it rings on for what is
   * left of its timeout, the legs after it start one after another, the first to answer wins.
   */
  private Behavior<Command> resumeSequence(DialSequence seq) {
    ringNouns.addAll(dial.nouns());
    keepSipCredentials(seq.dial().legs());
    Duration each = Duration.ofSeconds(dial.timeout());
    Duration left = each.minus(
        Duration.between(seq.currentSince(), ctx.settings().clock().instant()));
    LOG.info("{} sequential <Dial> taken back after a restart at leg {} of {}", parent.callSid(),
        seq.current() + 1, seq.dial().legs().size());
    group =
        context.spawn(
            RingGroup.resumeSequence(
                seq.dial().legs(),
                seq.current(),
                seq.endedStatuses(),
                left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left,
                each,
                ctx.settings().drainTimeout(),
                ctx.callEntities(),
                context.messageAdapter(RingOutcome.class, Ring::new)),
            "ring");
    return ringing();
  }

  /**
   * The {@code <Dial><Queue>} bridged to the caller it took out of the queue before the restart:
   * the bridge stays (if Asterisk still holds both channels), the caller's hangup is its call's
   * end, and when the bridge ends the caller's Enqueue gets {@code bridged} with the QueueTime of
   * its wait and this Dial its action as usual.
   */
  private Behavior<Command> resumeQueueBridge(QueueDialRecord stored) {
    DialRecord.Bridged b = stored.bridged();
    LOG.info("{} <Dial><Queue> taken back after a restart: bridged to {}", parent.callSid(),
        b.legCallSid());
    BridgeSession.Peer peer = new BridgeSession.Peer(b.legCallSid(), b.channel(), false);
    QueueActor.Member member = new QueueActor.Member(
        b.legCallSid(), b.channel(), context.getSystem().ignoreRef(), b.bridgedAt());
    BridgeSession.QueueInfo queue = new BridgeSession.QueueInfo(
        stored.queueSid(), stored.queueName(), member, stored.queueTimeSeconds(), true);
    return new BridgeSession(timers, this, peer, Optional.of(queue), b.recordingSid())
        .resumedWithMember(b.bridgedAt(), b.recordingStarted());
  }

  /**
   * The ring group runs. Waits for its {@link RingOutcome}, the parent's hangup ({@link
   * ParentEvent}) or {@link Cancel}; then bridges the winner or ends.
   */
  private Behavior<Command> ringing() {
    return Behaviors.receive(Command.class)
        .onMessage(Ring.class, r -> onRingOutcome(r.outcome()))
        .onMessage(ParentEvent.class, e -> onRingingParentEvent(e.event()))
        .onMessage(Cancel.class, c -> stopRinging(LegCancelCause.REQUESTED))
        .onMessage(Step.class, this::onStep)
        .onMessage(ServerResynced.class, this::takeLegsBack)
        .build();
  }

  /**
   * After a resync of the parent's server the group takes back its legs still ringing or bridged
   * ({@link RingGroup.TakeBack}): a leg whose entity died with its node starts again from its
   * durable state; a leg that never moved ignores it.
   */
  Behavior<Command> takeLegsBack(ServerResynced resynced) {
    if (group != null && resynced.serverId().equals(parent.channel().serverId())) {
      group.tell(new RingGroup.TakeBack());
    }
    return Behaviors.same();
  }

  /** Whether this node hands its calls over: a stop now moves the dial, it does not end it. */
  boolean handingOver() {
    return org.switchboard.engine.protocol.NodeHandOver.get(context.getSystem()).started();
  }

  private Behavior<Command> onRingingParentEvent(ChannelEvent event) {
    if (isParentGone(event)) {
      parentGone = true;
      return stopRinging(LegCancelCause.PARENT_HUNG_UP);
    }
    return Behaviors.same();
  }

  private Behavior<Command> stopRinging(LegCancelCause cause) {
    stopping = true;
    group.tell(new RingGroup.CancelAll(cause));
    return Behaviors.same();
  }

  private Behavior<Command> onRingOutcome(RingOutcome outcome) {
    if (outcome instanceof RingOutcome.Answered won) {
      if (stopping) {
        ctx.callEntities().apply(won.legCallSid()).tell(
            new org.switchboard.engine.protocol.CallCommand.CancelLeg(
                parentGone ? LegCancelCause.PARENT_HUNG_UP : LegCancelCause.REQUESTED));
        return finish(DialStatuses.CANCELED, Optional.of(won.legCallSid()));
      }
      stopRingback();
      Dial.Noun noun = ringNouns.get(won.index());
      if (noun instanceof Number n && n.sendDigits().isPresent()) {
        pipe("sendDigits", ctx.ari().sendDtmf(won.channel(), n.sendDigits().get(), 100, 100));
      }
      winnerIndex = won.index();
      BridgeSession.Peer peer = new BridgeSession.Peer(won.legCallSid(), won.channel(), true);
      return new BridgeSession(timers, this, peer, Optional.empty()).start();
    }
    if (outcome instanceof RingOutcome.NextLegStarted started) {
      durability.sequenceAt(started.index(), started.endedStatuses(),
          ctx.settings().clock().instant());
      return Behaviors.same();
    }
    if (outcome instanceof RingOutcome.Unanswered none) {
      stopRingback();
      String status = stopping ? DialStatuses.CANCELED : none.status();
      return finish(new DialEnded(status, Optional.of(none.lastLeg()), OptionalInt.empty(), false,
          parentGone, Optional.empty(), Optional.empty(),
          DialSipFacts.unanswered(dial, none.lastSipCode())));
    }
    return Behaviors.same();
  }

  private void startRingback() {
    CompletionStage<Done> ready =
        parent.answered() || dial.answerOnBridge()
            ? java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance())
            : ctx.ari().answer(parent.channel());
    if (dial.ringTone().isPresent() && !dial.answerOnBridge()) {
      LatePlays.Play ringback = LatePlays.get(context.getSystem())
          .prepare(ctx.ari(), parent.channel().serverId(), Sids.random("sb-rb-"));
      ringbackPlayback = ringback;
      String tone = "tone:ring;tonezone=" + dial.ringTone().get().wire();
      pipe("ringback", ready.thenCompose(d -> ringback.start(() -> ctx.ari().play(
          parent.channel(), ringback.playbackId(), List.of(tone)))).thenApply(played -> done()));
    } else {
      pipe("ringback", ready.thenCompose(d -> ctx.ari().ring(parent.channel())));
    }
  }

  /**
   * Stops the ringback: a tone not played yet never will be; a played one is stopped, and again if
   * it turns out to run after that ({@link LatePlays}: a callee who answers while the tone's play
   * is on its way).
   */
  void stopRingback() {
    if (ringbackPlayback != null) {
      pipe("stopRingback", ringbackPlayback.stop());
      ringbackPlayback = null;
    } else {
      pipe("stopRingback", ctx.ari().stopRinging(parent.channel()));
    }
  }

  private static Done done() {
    return Done.getInstance();
  }

  /** Runs an ARI command; its failure comes back as a {@link Step} and is logged. */
  void pipe(String what, CompletionStage<Done> stage) {
    context.pipeToSelf(stage, (ok, error) -> new Step(what, Optional.ofNullable(error)));
  }

  /**
   * Measures the finished recording {@code sid} made of the stored recordings {@code names}
   * ({@link SoundSpans#covering}); a {@link RecordingMeasured} follows, empty when it could not be
   * measured (logged: the recording is then kept whole).
   */
  void measureRecording(String sid, List<String> names) {
    context.pipeToSelf(
        SoundSpans.covering(ctx.media(), parent.channel().serverId(), names,
            (name, error) -> LOG.warn("{} dial recording {} could not be measured, kept whole: {}",
                parent.callSid(), name, Failures.cause(error).getMessage())),
        (kept, error) -> new RecordingMeasured(sid, error == null ? kept : Optional.empty()));
  }

  /** Reads the length of the stored recording {@code name}; a {@link StoredRecording} follows. */
  void lookUpStoredRecording(String name) {
    context.pipeToSelf(
        ctx.ari().storedRecording(parent.channel().serverId(), name),
        (stored, error) ->
            new StoredRecording(
                name,
                Optional.ofNullable(stored).flatMap(s -> s.map(AriPort.StoredRecording::durationSeconds)),
                Optional.ofNullable(error)));
  }

  Behavior<Command> onStep(Step step) {
    step.error().map(Failures::cause).ifPresent(e -> {
      if (e instanceof AriCommandException ace && ace.isNotFound()) {
        // The caller hung up meanwhile (it does, while ringing); its StasisEnd ends the dial.
        LOG.info("{} {}: the caller's channel is gone ({})", parent.callSid(), step.what(), e.getMessage());
      } else {
        LOG.warn("{} {} failed: {}", parent.callSid(), step.what(), e.getMessage());
      }
    });
    return Behaviors.same();
  }

  boolean isParentGone(ChannelEvent event) {
    boolean parentChannel = event.channelId().filter(parent.channel().channelId()::equals).isPresent();
    return parentChannel
        && (event instanceof ChannelEvent.StasisLeft || event instanceof ChannelEvent.ChannelDestroyed);
  }

  /** Replies an unbridged end and stops. */
  Behavior<Command> finish(String status, Optional<String> dialCallSid) {
    return finish(
        new DialEnded(status, dialCallSid, OptionalInt.empty(), false, parentGone, Optional.empty(), Optional.empty()));
  }

  Behavior<Command> finish(DialEnded ended) {
    LOG.debug("{} dial ended {}", parent.callSid(), ended.status());
    sipCredentials.ifPresent(SipCredentials::remove);
    sipCredentials = Optional.empty();
    replyTo.tell(ended);
    return durability.forget().map(this::forgetting).orElseGet(Behaviors::stopped);
  }

  /**
   * Over, its stored state being deleted: stops once the state actor has (a child stopped with
   * its parent could drop the delete), or after FORGOTTEN.
   */
  private Behavior<Command> forgetting(ActorRef<DurableSlot.Command> slot) {
    context.watch(slot);
    timers.cancelAll();
    timers.startSingleTimer(FORGOTTEN, new Tick(FORGOTTEN), RESUME_TIMEOUT);
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> t.key().equals(FORGOTTEN) ? Behaviors.stopped() : Behaviors.same())
        .onMessage(Command.class, other -> Behaviors.same())
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  /**
   * The bridge to {@code peer} (the winning leg, or the caller taken out of {@code queue}) is up
   * since {@code at}: kept in the store.
   */
  void bridgeUp(BridgeSession.Peer peer, java.time.Instant at, String recordingSid,
      Optional<BridgeSession.QueueInfo> queue) {
    if (peer.leg() && winnerIndex >= 0) {
      durability.bridged(new DialRecord.Bridged(
          peer.callSid(), peer.channel(), winnerIndex, at, recordingSid, false));
    } else if (queue.isPresent()) {
      BridgeSession.QueueInfo q = queue.get();
      durability.queueBridged(parent, q.queueSid(), q.queueName(), q.queueTimeSeconds(),
          new DialRecord.Bridged(peer.callSid(), peer.channel(), -1, at, recordingSid, false));
    }
  }

  /** The {@code <Dial><Queue>} waits for a caller of {@code queueName} since {@code since}. */
  void queueWaiting(String queueName, java.time.Instant since) {
    durability.queueWaiting(parent, queueName, since);
  }

  /** {@code dequeued} was taken out of its queue and is told so: kept in the store. */
  void dequeued(QueueActor.Dequeued dequeued) {
    QueueActor.Member m = dequeued.member();
    durability.dequeued(parent, dequeued.queueSid(), dequeued.queueName(),
        dequeued.queueTimeSeconds(), m.callSid(), m.channel(), m.enqueuedAt());
  }

  /** The bridged member {@code callSid}'s call entity is watched: its end is the member gone. */
  void watchMember(String callSid) {
    ActorRef<CallEnded> ended = context.messageAdapter(CallEnded.class,
        e -> new Member(new QueueNotice.MemberGone(e.callSid())));
    ctx.callEntities().apply(callSid).tell(new CallCommand.WatchEnd(ended));
  }

  /** The dial recording started (its in-progress callback went out): kept in the store. */
  void recordingStarted() {
    durability.recordingStarted();
  }

  ParentCall parent() {
    return parent;
  }

  Dial dial() {
    return dial;
  }

  DialContext ctx() {
    return ctx;
  }

  boolean parentGone() {
    return parentGone;
  }

  void markParentGone() {
    parentGone = true;
  }
}
