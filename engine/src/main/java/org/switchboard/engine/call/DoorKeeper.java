package org.switchboard.engine.call;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.CallDoor;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import scala.concurrent.ExecutionContext;

/**
 * The node's {@link CallDoor}: while it sheds load or drains with a {@code busy} or {@code reject}
 * policy ({@link ActiveCalls#shedding()}, {@link ActiveCalls#draining()}; draining wins), a new
 * call is turned away where its {@code StasisStart} is read, before the event queue: its channel
 * is hung up through the {@link RefusalLane} until Asterisk confirms, it counts in {@link
 * ActiveCalls#hangupsPending()} meanwhile (and in {@link ActiveCalls#shedCount()} when shed), and
 * its later events are absorbed at the socket too (no call entity is started for it). A {@code say} or redirect
 * policy runs a short script, so those calls go on to {@link CallEntity}, which applies it.
 */
public final class DoorKeeper implements CallDoor {
  private static final Logger LOG = LoggerFactory.getLogger(DoorKeeper.class);

  /**
   * How long the events of a confirmed refusal are still absorbed when its {@code StasisEnd} does
   * not come (the event socket dropped meanwhile).
   */
  static final Duration FORGET_AFTER = Duration.ofSeconds(30);

  private final ActiveCalls calls;
  private final RefusalLane lane;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  /** Channels turned away whose events are absorbed, with their CallSid. */
  private final Map<ChannelRef, String> turnedAway = new ConcurrentHashMap<>();

  DoorKeeper(ActiveCalls calls, AriPort refusalLane, Scheduler scheduler,
      ExecutionContext executor, int maxInFlight) {
    this.calls = calls;
    this.scheduler = scheduler;
    this.executor = executor;
    this.lane = new RefusalLane(refusalLane, scheduler, executor, maxInFlight, this::confirmed);
    calls.door(this);
  }

  /**
   * The door of the node whose live calls are {@code calls}; refusals go through {@code
   * refusalLane} (an ARI port of their own), at most {@code maxInFlight} at a time.
   */
  public static DoorKeeper start(ActiveCalls calls, AriPort refusalLane, ActorSystem<?> system,
      int maxInFlight) {
    return new DoorKeeper(calls, refusalLane, system.scheduler(), system.executionContext(),
        maxInFlight);
  }

  @Override
  public boolean watching() {
    return !turnedAway.isEmpty() || refusing();
  }

  @Override
  public boolean refusing() {
    return refusal().isPresent();
  }

  @Override
  public boolean turnAway(ChannelEvent.StasisEntered entered) {
    boolean draining = calls.draining().isPresent();
    Optional<HangupReason> reason = refusal();
    ChannelRef channel = new ChannelRef(entered.serverId(), entered.channel().id());
    String callSid = CallSid.forChannel(channel);
    if (reason.isEmpty() || calls.isLive(callSid)) {
      return false;
    }
    if (turnedAway.putIfAbsent(channel, callSid) != null) {
      return true; // the same StasisStart again (a duplicate frame): already refused
    }
    if (!draining) {
      calls.countShed();
    }
    LOG.debug("call {}: the node {}; the new call on {} is refused at the door ({})", callSid,
        draining ? "drains" : "sheds load", channel, reason.get().wire());
    refuse(callSid, channel, reason.get());
    return true;
  }

  /**
   * A new call refused by its call entity (its StasisStart had passed the door before the node
   * began to shed or drain): hung up on the refusal lane too, its later events absorbed at the
   * socket from now on.
   */
  void refuseLate(String callSid, ChannelRef channel, HangupReason reason) {
    if (turnedAway.putIfAbsent(channel, callSid) == null) {
      refuse(callSid, channel, reason);
    }
  }

  private void refuse(String callSid, ChannelRef channel, HangupReason reason) {
    calls.hangupPending(callSid);
    lane.refuse(callSid, channel, reason);
  }

  @Override
  public boolean absorbs(ChannelRef channel, boolean gone) {
    if (turnedAway.isEmpty() || !turnedAway.containsKey(channel)) {
      return false;
    }
    if (gone) {
      turnedAway.remove(channel);
      lane.gone(channel);
    }
    return true;
  }

  /** Refusals Asterisk has not confirmed yet. */
  public int refusalsOpen() {
    return lane.open();
  }

  /** Refusals waiting for a slot of the refusal lane. */
  public int refusalsWaiting() {
    return lane.waiting();
  }

  /** The hangup that refuses a new call now, when the node turns new calls away at the door. */
  private Optional<HangupReason> refusal() {
    Optional<DrainPolicy> draining = calls.draining();
    return (draining.isPresent() ? draining : calls.shedding()).flatMap(DrainPolicy::refusal);
  }

  /** Asterisk confirmed a refusal (or its channel is gone). */
  private void confirmed(RefusalLane.Refusal refusal) {
    calls.hangupConfirmed(refusal.callSid);
    if (turnedAway.containsKey(refusal.channel)) {
      scheduler.scheduleOnce(FORGET_AFTER,
          () -> turnedAway.remove(refusal.channel, refusal.callSid), executor);
    }
  }
}
