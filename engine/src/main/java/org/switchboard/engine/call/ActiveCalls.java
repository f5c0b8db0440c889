package org.switchboard.engine.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * The calls alive on this node, for metrics and status pages, and whether the node drains (takes
 * no new calls, {@link DrainPolicy}). Thread-safe.
 */
public final class ActiveCalls {
  private final ConcurrentHashMap<String, ActorRef<CallCommand>> calls = new ConcurrentHashMap<>();
  private final Set<String> ringingLegs = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, String> activities = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder shed =
      new java.util.concurrent.atomic.LongAdder();
  private final Set<String> hangupsPending = ConcurrentHashMap.newKeySet();
  /** Enough for the trailing events of several seconds of calls at the highest rates measured. */
  private final RecentlyEnded ended = new RecentlyEnded(8_192);
  private volatile Optional<DrainPolicy> draining = Optional.empty();
  private volatile Optional<DrainPolicy> shedding = Optional.empty();
  private volatile Optional<DoorKeeper> door = Optional.empty();

  void register(String callSid, ActorRef<CallCommand> call) {
    ended.forget(callSid);
    calls.put(callSid, call);
  }

  /** An outbound leg: registered, and ringing until {@link #legAnswered} or unregistered. */
  public void registerRingingLeg(String callSid, ActorRef<CallCommand> leg) {
    register(callSid, leg);
    ringingLegs.add(callSid);
  }

  public void legAnswered(String callSid) {
    ringingLegs.remove(callSid);
  }

  public void unregister(String callSid) {
    ringingLegs.remove(callSid);
    calls.remove(callSid);
    activities.remove(callSid);
  }

  /**
   * Records what a registered call is doing now ({@link CallActivity}); called by the call's own
   * actor, so it never races that call's {@link #unregister}.
   */
  void activity(String callSid, String activity) {
    if (calls.containsKey(callSid)) {
      activities.put(callSid, activity);
    }
  }

  /** What the call is doing ({@link CallActivity}), when it runs here and has begun its script. */
  public Optional<String> activity(String callSid) {
    return Optional.ofNullable(activities.get(callSid));
  }

  /** The CallSids of the outbound legs counted by {@link #ringingLegs()}. */
  public Set<String> ringingLegSids() {
    return Set.copyOf(ringingLegs);
  }

  /** How many outbound legs on this node were originated and have not answered or ended yet. */
  public int ringingLegs() {
    return ringingLegs.size();
  }

  /** Tells every call and leg running here {@code command}. */
  public void tellAll(CallCommand command) {
    calls.values().forEach(call -> call.tell(command));
  }

  /** How many calls run here. */
  public int count() {
    return calls.size();
  }

  /** The node's door ({@link DoorKeeper}), whose refusal lane refused calls are hung up on. */
  void door(DoorKeeper keeper) {
    door = Optional.of(keeper);
  }

  /** The node's door, once it has one. */
  Optional<DoorKeeper> door() {
    return door;
  }

  /** The entity of the call or leg {@code callSid}, while it runs here ({@link DirectDelivery}). */
  Optional<ActorRef<CallCommand>> liveRef(String callSid) {
    return Optional.ofNullable(calls.get(callSid));
  }

  /** Whether the call or leg {@code callSid} runs here. */
  public boolean isLive(String callSid) {
    return calls.containsKey(callSid);
  }

  /** Their CallSids. */
  public Set<String> callSids() {
    return Set.copyOf(calls.keySet());
  }

  /** A snapshot of every call; calls that do not answer within {@code timeout} are left out. */
  public CompletionStage<List<CallSnapshot>> snapshots(ActorSystem<?> system, Duration timeout) {
    List<CompletableFuture<CallSnapshot>> asks = new ArrayList<>();
    for (ActorRef<CallCommand> call : calls.values()) {
      asks.add(
          AskPattern.<CallCommand, CallSnapshot>ask(
                  call, CallCommand.GetSnapshot::new, timeout, system.scheduler())
              .toCompletableFuture()
              .exceptionally(e -> null));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> asks.stream().map(CompletableFuture::join).filter(s -> s != null).toList());
  }

  /** From now on new calls are refused or redirected as {@code policy} says; live ones go on. */
  public void startDraining(DrainPolicy policy) {
    draining = Optional.of(policy);
  }

  /** The drain policy, while the node drains. */
  public Optional<DrainPolicy> draining() {
    return draining;
  }

  /**
   * The call {@code callSid} is over for Switchboard but its channel is not confirmed gone yet: its
   * hangup waits for Asterisk's answer (and is sent again until it comes).
   */
  void hangupPending(String callSid) {
    hangupsPending.add(callSid);
  }

  /** Asterisk confirmed the hangup of {@code callSid}'s channel (or the channel is gone). */
  void hangupConfirmed(String callSid) {
    hangupsPending.remove(callSid);
  }

  /**
   * The inbound call {@code callSid} is over here for good: its channel is gone and its entity
   * ends now ({@link RecentlyEnded}).
   */
  void ended(String callSid) {
    ended.add(callSid);
  }

  /** A new call begins under {@code callSid}: it is no longer one that ended. */
  void starting(String callSid) {
    ended.forget(callSid);
  }

  /** Whether the call {@code callSid} ended on this node lately with its channel gone. */
  public boolean endedHere(String callSid) {
    return ended.contains(callSid);
  }

  /** Whether the hangup of {@code callSid}'s channel waits for Asterisk's confirmation. */
  public boolean hangupPendingFor(String callSid) {
    return hangupsPending.contains(callSid);
  }

  /** Channels whose hangup Switchboard decided and Asterisk has not confirmed yet. */
  public int hangupsPending() {
    return hangupsPending.size();
  }

  /**
   * The channels Switchboard believes are up: one per live call or leg, plus those whose hangup
   * is not confirmed yet.
   */
  public int channelsUp() {
    return calls.size() + hangupsPending.size();
  }

  /**
   * From now on new calls are refused or answered as {@code policy} says, because the node is
   * overloaded (empty: admitted again); live calls go on. Draining wins over shedding.
   */
  public void shed(Optional<DrainPolicy> policy) {
    shedding = policy;
  }

  /** One more new call refused or answered short because the node sheds load. */
  void countShed() {
    shed.increment();
  }

  /** New calls refused or answered short because the node shed load, since the start. */
  public long shedCount() {
    return shed.sum();
  }

  /** The policy for new calls while the node sheds load. */
  public Optional<DrainPolicy> shedding() {
    return shedding;
  }

  /** Asks every live call and leg to hang up ({@link CallCommand.HangUp}): a normal ending. */
  public void hangUpAll(String reason) {
    calls.values().forEach(call -> call.tell(new CallCommand.HangUp(reason)));
  }
}
