package org.switchboard.engine.call;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.durable.LegSlot;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.protocol.StoredLeg;

/**
 * The Cluster Sharding entity of one CallSid. It starts unclaimed: the first {@code StasisEntered}
 * makes it an inbound {@link CallActor}, a {@link CallCommand.StartLeg} hands it to the {@link
 * LegBehaviorFactory}. Events arriving before that are acknowledged and stashed; an entity that
 * stays unclaimed (leftover events of an ended call) passivates after {@code unclaimedTimeout}.
 * One whose first message is a trailing end-of-life event ({@link EntityEnd#isTrailing}: the call,
 * leg or bridge already ended) acknowledges it and passivates at once. Every way out goes through
 * {@link EntityEnd}.
 * A {@link CallCommand.Reconcile} reaching an unclaimed entity means Asterisk holds a resource no
 * call owns: after {@code orphanGrace} (a StasisStart may still be on its way) the channel is hung
 * up or the bridge destroyed; an unanswered inbound channel whose StasisStart was lost with the
 * socket ({@link CallRouting#unansweredInbound}) starts its call instead. With a durable store the
 * store is asked first, for a bridge too: a call or leg of an earlier incarnation is taken back,
 * not hung up, and a bridge Asterisk lists waits for the store's answer however long it takes,
 * then as long as a known leg does for its owner (a resumed call, its dial or its ring takes the
 * bridge back and claims the entity).
 */
public final class CallEntity {
  private static final Logger LOG = LoggerFactory.getLogger(CallEntity.class);

  /** The sharding type key: entity id = CallSid. */
  public static final EntityTypeKey<CallCommand> TYPE_KEY =
      EntityTypeKey.create(CallCommand.class, "Call");

  private static final int STASH_CAPACITY = 256;

  /** The first Stasis argument of an outbound leg's channel ({@code LegActor}'s originate). */
  private static final String LEG_STASIS_ARG = "dial-leg";

  /** How many orphan graces a known leg waits for its dial before it counts as an orphan. */
  private static final int LEG_GRACE_FACTOR = 6;

  private record UnclaimedTimeout() implements CallCommand.Internal {}

  private record OrphanGraceOver(CallCommand.Reconcile reconcile) implements CallCommand.Internal {}

  private record CleanupDone(String what, Throwable error) implements CallCommand.Internal {}

  /**
   * The store answered whether it knows this call; {@code recover} when the lookup came from the
   * store's sweep ({@link CallCommand.Recover}) rather than from a channel Asterisk listed.
   */
  private record LookedUp(
      Optional<CallCommand.Recover> recover, Optional<CallCheckpoint> checkpoint, Throwable error)
      implements CallCommand.Internal {}

  /**
   * The store answered whether it knows the leg whose channel entered Stasis with no leg running
   * ({@code known} also when the store could not answer: the leg then waits as a known one would).
   */
  private record StrayLegLookedUp(ChannelEvent.StasisEntered entered, boolean known,
      Optional<LegSpec> spec) implements CallCommand.Internal {}

  /** The store answered whether it knows the leg whose channel Asterisk listed, and what it rings. */
  private record LegLookedUp(CallCommand.Reconcile reconcile, boolean known,
      Optional<LegSpec> spec) implements CallCommand.Internal {}

  private enum TimerKey {
    UNCLAIMED,
    ORPHAN
  }

  /** The orphan timer of one listed bridge (a channel's is {@link TimerKey#ORPHAN}). */
  private record BridgeTimer(String bridgeId) {}

  private final ActorContext<CallCommand> ctx;
  private final TimerScheduler<CallCommand> timers;
  private final StashBuffer<CallCommand> stash;
  private final String callSid;
  private final CallServices services;
  private final LegBehaviorFactory legs;
  private final EntityEnd end;
  private final CallStore store;
  private final EndWatchers endWatchers;
  /** The call's checkpoints, once opened: the one object the call writes and deletes through. */
  private Optional<CallCheckpoints> checkpoints;
  private boolean fresh = true;
  /** Whether the store is being asked about this call ({@link #lookUp}). */
  private boolean lookingUp;
  /** A channel Asterisk listed for this CallSid, waiting for the store's answer. */
  private Optional<CallCommand.Reconcile> listed = Optional.empty();
  /** Watchers that asked while the store was asked: answered once it is known what runs here. */
  private final List<CallCommand.WatchEnd> watchesDuringLookUp = new java.util.ArrayList<>();
  /** Bridges Asterisk listed for this CallSid, waiting for the store's answer. */
  private final List<CallCommand.Reconcile> listedBridges = new java.util.ArrayList<>();

  private CallEntity(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      StashBuffer<CallCommand> stash,
      String callSid,
      CallServices services,
      LegBehaviorFactory legs,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard,
      EndWatchers endWatchers) {
    this.ctx = ctx;
    this.endWatchers = endWatchers;
    this.timers = timers;
    this.stash = stash;
    this.callSid = callSid;
    this.services = services;
    this.legs = legs;
    this.store = CallStore.of(ctx.getSystem().settings().config());
    this.end =
        EntityEnd.of(
            shard,
            command ->
                ClusterSharding.get(ctx.getSystem()).entityRefFor(TYPE_KEY, callSid).tell(command));
  }

  /**
   * The entity {@code callSid}. {@code legs} is the single hook through which outbound legs plug
   * in; {@code shard} is the shard to passivate through (empty outside sharding).
   */
  public static Behavior<CallCommand> create(
      String callSid,
      CallServices services,
      LegBehaviorFactory legs,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    EndWatchers watchers = new EndWatchers(callSid);
    return Behaviors.intercept(() -> watchers, Behaviors.withStash(
        STASH_CAPACITY,
        stash ->
            Behaviors.setup(
                ctx ->
                    Behaviors.withTimers(
                        timers ->
                            new CallEntity(ctx, timers, stash, callSid, services, legs, shard,
                                watchers)
                                .unclaimed()))));
  }

  /**
   * No call yet. Waits for StasisEntered (→ CallActor) or StartLeg (→ leg), stashing other events;
   * UNCLAIMED passivates it, ORPHAN cleans up a reconciled resource.
   */
  private Behavior<CallCommand> unclaimed() {
    timers.startSingleTimer(
        TimerKey.UNCLAIMED, new UnclaimedTimeout(), services.settings().unclaimedTimeout());
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onDeliver)
        .onMessage(CallCommand.StartLeg.class, this::onStartLeg)
        .onMessage(CallCommand.ResumeLeg.class, this::onResumeLeg)
        .onMessage(CallCommand.Reconcile.class, this::onReconcile)
        .onMessage(LegLookedUp.class, this::onLegLookedUp)
        .onMessage(StrayLegLookedUp.class, this::onStrayLegLookedUp)
        .onMessage(CallCommand.Recover.class, this::onRecover)
        .onMessage(LookedUp.class, this::onLookedUp)
        .onMessage(OrphanGraceOver.class, this::onOrphan)
        .onMessage(CleanupDone.class, this::onCleanupDone)
        .onMessage(UnclaimedTimeout.class, m -> passivate())
        .onMessage(CallCommand.WatchEnd.class, this::onWatchEnd)
        .onMessage(CallCommand.class, this::onStray)
        .build();
  }

  private Behavior<CallCommand> onDeliver(CallCommand.Deliver deliver) {
    ChannelEvent event = deliver.event();
    boolean first = fresh;
    fresh = false;
    deliver.ack().tell(Done.getInstance());
    if (event instanceof ChannelEvent.StasisEntered entered) {
      timers.cancelAll();
      if (isDialLeg(entered)) {
        return strayLeg(entered);
      }
      Optional<DrainPolicy> draining = services.activeCalls().draining();
      if (draining.isPresent()) {
        return refused(entered, draining.get(), "the node drains");
      }
      Optional<DrainPolicy> shedding = services.activeCalls().shedding();
      if (shedding.isPresent()) {
        services.activeCalls().countShed();
        return refused(entered, shedding.get(), "the node sheds load");
      }
      LOG.debug("call {} -> inbound call", callSid);
      endWatchers.claimed();
      return stash.unstashAll(
          CallActor.create(callSid, entered, services, end, checkpoints()));
    }
    if (first && EntityEnd.isTrailing(event)) {
      timers.cancelAll();
      LOG.debug("call {}: trailing {} of an ended call; passivating", callSid,
          event.getClass().getSimpleName());
      return end.end(ctx);
    }
    if (stash.isFull()) {
      LOG.warn("call {}: stash full, dropping {}", callSid, event);
    } else {
      stash.stash(new CallCommand.Deliver(event, ctx.getSystem().ignoreRef()));
    }
    return Behaviors.same();
  }

  /** Whether {@code entered} is the channel of an outbound leg ({@code Stasis(app,dial-leg,…)}). */
  private static boolean isDialLeg(ChannelEvent.StasisEntered entered) {
    return !entered.args().isEmpty() && LEG_STASIS_ARG.equals(entered.args().get(0));
  }

  /**
   * An outbound leg's channel entered Stasis and no leg runs here: its leg is over (typically an
   * originate that got no answer and that Asterisk carried out late). It never runs as an inbound
   * call. A leg the durable store still knows waits for its dial to resume it ({@link
   * #onStrayLegLookedUp}); any other is hung up at once ({@link ChannelHangup}, until Asterisk
   * confirms), not after the orphan grace: nobody will ever watch it.
   */
  private Behavior<CallCommand> strayLeg(ChannelEvent.StasisEntered entered) {
    var slot = LegSlot.open(ctx, callSid);
    if (slot.isEmpty()) {
      return hangUpStrayLeg(entered);
    }
    stash.stash(new CallCommand.Deliver(entered, ctx.getSystem().ignoreRef()));
    ctx.ask(DurableSlot.Loaded.class, slot.get(),
        services.settings().orphanGrace().multipliedBy(4), DurableSlot.Get::new,
        (loaded, error) -> new StrayLegLookedUp(entered,
            loaded == null || loaded.value().isPresent(), storedSpec(loaded)));
    return Behaviors.same();
  }

  private Behavior<CallCommand> onStrayLegLookedUp(StrayLegLookedUp looked) {
    if (!looked.known()) {
      ctx.getChild(LegSlot.CHILD).ifPresent(ctx::stop);
      return hangUpStrayLeg(looked.entered());
    }
    return onLegLookedUp(new LegLookedUp(new CallCommand.Reconcile(looked.entered().serverId(),
        looked.entered().channel().id(), false), true, looked.spec()));
  }

  /** What the stored leg rings, if the store answered with one. */
  private static Optional<LegSpec> storedSpec(DurableSlot.Loaded loaded) {
    return Optional.ofNullable(loaded).flatMap(DurableSlot.Loaded::value)
        .filter(StoredLeg.class::isInstance).map(v -> ((StoredLeg) v).spec());
  }

  private Behavior<CallCommand> hangUpStrayLeg(ChannelEvent.StasisEntered entered) {
    ChannelRef channel = new ChannelRef(entered.serverId(), entered.channel().id());
    LOG.warn("call {}: leg channel {} entered Stasis but its leg is over: hanging it up", callSid,
        channel);
    return ChannelHangup.create(callSid, channel, HangupReason.NORMAL, services, end);
  }

  /**
   * A new call the node does not take ({@code why}: it drains or sheds load) whose StasisStart
   * passed the door before the node began to: refused (its channel hung up busy or rejected until
   * Asterisk confirms, on the door's refusal lane when the node has one, {@link
   * DoorKeeper#refuseLate}, else by {@link ChannelHangup}; no call runs) or answered by a short
   * script ({@link DrainPolicy#twiml()}).
   */
  private Behavior<CallCommand> refused(
      ChannelEvent.StasisEntered entered, DrainPolicy policy, String why) {
    Optional<HangupReason> refusal = policy.refusal();
    if (refusal.isEmpty()) {
      LOG.info("call {}: {}; the new call is redirected", callSid, why);
      endWatchers.claimed();
      return stash.unstashAll(
          CallActor.createInline(callSid, entered, services, end, policy.twiml()));
    }
    ChannelRef channel = new ChannelRef(entered.serverId(), entered.channel().id());
    LOG.info("call {}: {}; the new call on {} is refused ({})", callSid, why, channel,
        refusal.get().wire());
    Optional<DoorKeeper> door = services.activeCalls().door();
    if (door.isPresent()) {
      door.get().refuseLate(callSid, channel, refusal.get());
      return end.end(ctx);
    }
    return ChannelHangup.create(callSid, channel, refusal.get(), services, end);
  }

    private Behavior<CallCommand> onStartLeg(CallCommand.StartLeg start) {
    timers.cancelAll();
    LOG.debug("call {} -> outbound leg", callSid);
    endWatchers.claimed();
    return stash.unstashAll(legs.leg(callSid, start, services, end));
  }

  /** A dial resumed after a restart takes its leg back ({@link LegBehaviorFactory#resumeLeg}). */
  private Behavior<CallCommand> onResumeLeg(CallCommand.ResumeLeg resume) {
    timers.cancelAll();
    LOG.debug("call {} -> outbound leg taken back by its dial", callSid);
    endWatchers.claimed();
    return stash.unstashAll(legs.resumeLeg(callSid, resume, services, end));
  }

  /**
   * Asterisk holds a channel or bridge of this CallSid and no call runs here. With a durable store
   * the channel's call may have run on an earlier incarnation of the node: the store is asked
   * first ({@link #onLookedUp}); only a channel it does not know is an orphan.
   */
  private Behavior<CallCommand> onReconcile(CallCommand.Reconcile reconcile) {
    fresh = false;
    if (store.durable()) {
      if (CallRouting.streamResource(reconcile.resourceId())) {
        return removeStreamLeftover(reconcile);
      }
      if (reconcile.bridge()) {
        listedBridges.add(reconcile);
      } else {
        listed = Optional.of(reconcile);
      }
      return lookUp(Optional.empty());
    }
    return orphanGrace(reconcile);
  }

  /**
   * A media stream's channel or bridge where no call runs: streams are never taken back after a
   * restart (a resumed {@code <Connect>} goes on at its action), so it goes at once, never taken
   * for the call's own channel or bridge nor left behind when the call resumes.
   */
  private Behavior<CallCommand> removeStreamLeftover(CallCommand.Reconcile r) {
    ctx.pipeToSelf(StreamLeftovers.remove(services.ari(), callSid, r),
        (ok, err) -> new CleanupDone(r.resourceId(), err));
    return Behaviors.same();
  }

  /** The store's sweep after a restart: this call has a checkpoint (see {@link #onLookedUp}). */
  private Behavior<CallCommand> onRecover(CallCommand.Recover recover) {
    fresh = false;
    return store.durable() ? lookUp(Optional.of(recover)) : Behaviors.same();
  }

  private Behavior<CallCommand> lookUp(Optional<CallCommand.Recover> recover) {
    if (lookingUp) {
      return Behaviors.same();
    }
    lookingUp = true;
    java.time.Duration timeout = services.settings().orphanGrace().multipliedBy(4);
    ctx.pipeToSelf(checkpoints().map(c -> c.load(timeout)).orElseGet(() ->
            java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("this node keeps no checkpoints"))),
        (loaded, error) -> new LookedUp(recover, loaded, error));
    return Behaviors.same();
  }

  /**
   * The store's answer: a call it knows resumes from its checkpoint ({@link CallActor#resume});
   * one found by the sweep and not listed by Asterisk then asks whether its channel still exists
   * ({@link CallCommand.ServerResynced}). A listed channel the store does not know (or that the
   * store could not be asked about) takes the orphan path.
   */
  private Behavior<CallCommand> onLookedUp(LookedUp looked) {
    lookingUp = false;
    if (looked.error() != null) {
      LOG.error("call {}: the store could not say whether it knows this call ({})", callSid,
          looked.error().toString());
      answerWatchesDuringLookUp();
      bridgesWait(LEG_GRACE_FACTOR);
      return listed.map(this::orphanGrace).orElseGet(Behaviors::same);
    }
    Optional<CallCheckpoint> checkpoint = looked.checkpoint();
    if (checkpoint.isEmpty()) {
      answerWatchesDuringLookUp();
      bridgesWait(LEG_GRACE_FACTOR);
      return listed.map(this::lookUpLeg).orElseGet(Behaviors::same);
    }
    ChannelRef channel = checkpoint.get().channel();
    if (listed.isEmpty() && looked.recover().map(r -> !r.serverId().equals(channel.serverId()))
        .orElse(true)) {
      // Only a bridge of the call is listed: the call resumes through the store's sweep.
      bridgesWait(LEG_GRACE_FACTOR);
      return Behaviors.same();
    }
    timers.cancelAll();
    listedBridges.clear();
    LOG.info("call {}: the store knows this call on {}: resuming it", callSid, channel);
    if (listed.isEmpty()) {
      ctx.getSelf().tell(new CallCommand.ServerResynced(channel.serverId(), java.util.Set.of()));
    }
    endWatchers.claimed();
    watchesDuringLookUp.forEach(ctx.getSelf()::tell);
    watchesDuringLookUp.clear();
    return stash.unstashAll(CallActor.resume(checkpoint.get(), services, end, checkpoints()));
  }

  /** The call's checkpoints (none in memory mode), opened on first use. */
  private Optional<CallCheckpoints> checkpoints() {
    if (checkpoints == null) {
      checkpoints = store.open(ctx.getSystem(), callSid);
    }
    return checkpoints;
  }

  /**
   * No call of the store: the channel may be an outbound leg the store knows ({@code
   * durable.LegSlot}), which its dial takes back once its parent call resumed ({@link
   * CallCommand.ResumeLeg}); only a channel no store knows is an orphan.
   */
  private Behavior<CallCommand> lookUpLeg(CallCommand.Reconcile reconcile) {
    var slot = LegSlot.open(ctx, callSid);
    if (slot.isEmpty()) {
      return orphanGrace(reconcile);
    }
    ctx.ask(DurableSlot.Loaded.class, slot.get(),
        services.settings().orphanGrace().multipliedBy(4), DurableSlot.Get::new,
        (loaded, error) -> new LegLookedUp(reconcile, loaded != null && loaded.value().isPresent(),
            storedSpec(loaded)));
    return Behaviors.same();
  }

  private Behavior<CallCommand> onLegLookedUp(LegLookedUp looked) {
    if (!looked.known()) {
      ctx.getChild(LegSlot.CHILD).ifPresent(ctx::stop);
      return orphanGrace(looked.reconcile());
    }
    timers.startSingleTimer(TimerKey.ORPHAN, new OrphanGraceOver(looked.reconcile()),
        services.settings().orphanGrace().multipliedBy(LEG_GRACE_FACTOR));
    Optional<LegSpec> standalone = looked.spec().filter(LegSpec::standalone);
    if (standalone.isPresent() && standalone.get().parentCallSid().isEmpty()) {
      LOG.info("call {}: the store knows this REST call's leg: taking it back", callSid);
      ctx.getSelf().tell(new CallCommand.ResumeLeg(standalone.get(),
          ctx.getSystem().ignoreRef(), false));
    } else if (standalone.isPresent()) {
      LOG.info("call {}: the store knows this /ring leg; it waits for its ring", callSid);
      legs.ringLegFound(ctx.getSystem(), standalone.get());
    } else {
      LOG.info("call {}: the store knows this outbound leg; it waits for its dial", callSid);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> orphanGrace(CallCommand.Reconcile reconcile) {
    timers.startSingleTimer(reconcile.bridge() ? new BridgeTimer(reconcile.resourceId())
        : TimerKey.ORPHAN, new OrphanGraceOver(reconcile), services.settings().orphanGrace());
    return Behaviors.same();
  }

  /**
   * The bridges listed while the store was asked count as orphans after {@code graces} orphan
   * graces, unless the call resumes first (which cancels the timers and takes its bridge back).
   */
  private void bridgesWait(int graces) {
    for (CallCommand.Reconcile bridge : listedBridges) {
      timers.startSingleTimer(new BridgeTimer(bridge.resourceId()), new OrphanGraceOver(bridge),
          services.settings().orphanGrace().multipliedBy(graces));
    }
    listedBridges.clear();
  }

  @SuppressWarnings("unchecked")
  private Behavior<CallCommand> onOrphan(OrphanGraceOver over) {
    CallCommand.Reconcile r = over.reconcile();
    ctx.getChild(LegSlot.CHILD).ifPresent(slot ->
        ((ActorRef<DurableSlot.Command>) (ActorRef<?>) slot).tell(new DurableSlot.Forget()));
    if (r.unanswered().isPresent()) {
      LOG.warn("call {}: channel {} on {} waits unanswered in the application but its StasisStart"
          + " was lost with the event socket: starting its call", callSid, r.resourceId(), r.serverId());
      ChannelEvent.StasisEntered entered = new ChannelEvent.StasisEntered(r.serverId(),
          services.clock().instant(), r.unanswered().get(), List.of(), Optional.empty());
      return onDeliver(new CallCommand.Deliver(entered, ctx.getSystem().ignoreRef()));
    }
    LOG.warn("call {}: orphan {} {} on {}: cleaning up", callSid,
        r.bridge() ? "bridge" : "channel", r.resourceId(), r.serverId());
    if (!r.bridge()) {
      return ChannelHangup.create(callSid, new ChannelRef(r.serverId(), r.resourceId()),
          HangupReason.NORMAL, services, end);
    }
    ctx.pipeToSelf(services.ari().destroyBridge(r.serverId(), r.resourceId()),
        (ok, err) -> new CleanupDone(r.resourceId(), err));
    return Behaviors.same();
  }

  private Behavior<CallCommand> onCleanupDone(CleanupDone done) {
    if (done.error() != null) {
      LOG.info("cleanup of {} failed: {}", done.what(),
          Failures.cause(done.error()).getMessage());
    }
    return Behaviors.same();
  }

  private void answerWatchesDuringLookUp() {
    watchesDuringLookUp.forEach(w -> w.watcher().tell(new CallEnded(callSid)));
    watchesDuringLookUp.clear();
  }

  /**
   * No call here: the watcher learns it at once; an entity started only by this ends again. While
   * the store is asked whether a call of an earlier incarnation runs here (a restart), the answer
   * waits for the store's: a resumed call keeps the watcher.
   */
  private Behavior<CallCommand> onWatchEnd(CallCommand.WatchEnd watch) {
    if (lookingUp) {
      watchesDuringLookUp.add(watch);
      return Behaviors.same();
    }
    watch.watcher().tell(new CallEnded(callSid));
    if (fresh) {
      timers.cancelAll();
      return end.end(ctx);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onStray(CallCommand command) {
    if (lookingUp && command instanceof CallCommand.QueueLeft && !stash.isFull()) {
      // The Enqueue result of a call being resumed (its dequeuer's dial resumed first).
      stash.stash(command);
      return Behaviors.same();
    }
    if (command instanceof CallCommand.GetSnapshot || command instanceof CallCommand.HangUp
        || command instanceof CallCommand.Redirect || command instanceof CallCommand.CancelLeg) {
      LOG.info("call {}: no such call; {} ignored", callSid,
          command.getClass().getSimpleName());
    } else {
      LOG.debug("call {}: unclaimed entity ignores {}", callSid, command);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> passivate() {
    LOG.debug("call {}: unclaimed, passivating ({} stashed events dropped)", callSid,
        stash.size());
    return end.end(ctx);
  }
}
