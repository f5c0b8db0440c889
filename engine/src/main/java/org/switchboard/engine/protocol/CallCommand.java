package org.switchboard.engine.protocol;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Everything a call entity understands. A call entity is the Cluster Sharding entity that owns one
 * channel, keyed by its CallSid ({@link org.switchboard.engine.port.CallSid#forChannel}). It
 * starts unclaimed and becomes an inbound call on its first {@code StasisEntered}, or an outbound
 * leg on {@link StartLeg}.
 *
 * <p>New messages are appended at the end of this file.
 */
public sealed interface CallCommand extends ClusterMessage {

  /** An ARI event for this call's channel or a bridge it owns; acknowledged once accepted. */
  record Deliver(ChannelEvent event, ActorRef<Done> ack) implements CallCommand {}

  /** Claims this (not yet existing) channel as an outbound leg and originates it. */
  record StartLeg(LegSpec spec, ActorRef<LegReport> reportTo) implements CallCommand {}

  /** Stops a ringing leg: another leg won, the caller hung up or the dial timed out. */
  record CancelLeg(LegCancelCause cause) implements CallCommand {}

  /** Hangs the call up (REST {@code Status=completed|canceled}, {@code /hangup}). */
  record HangUp(String reason) implements CallCommand {}

  /**
   * Replaces the running document (REST update with {@code Url} or {@code Twiml}): exactly one of
   * {@code url} and {@code twiml} is present.
   */
  record Redirect(Optional<URI> url, Method method, Optional<String> twiml)
      implements CallCommand {}

  /** Asks for the call's current state (REST fetch, /status). */
  record GetSnapshot(ActorRef<CallSnapshot> replyTo) implements CallCommand {}

  /** The {@code <Dial>} this call delegated is over; {@code params} go to its action. */
  record DialFinished(Map<String, String> params) implements CallCommand {}

  /**
   * The call waits in its queue; {@code params} are the waitUrl parameters (QueuePosition,
   * QueueSid, QueueTime, AvgQueueTime, CurrentQueueSize, MaxQueueSize). Sent on entry and each
   * time the call asks ({@code Delegation.refresh()}) before requesting its waitUrl again.
   */
  record QueueWaiting(Map<String, String> params) implements CallCommand {}

  /** A {@code <Dial><Queue>} took the call out of the queue; the wait script stops at once. */
  record QueueDequeued(Map<String, String> params) implements CallCommand {}

  /**
   * The call's time in its queue is over: {@code result} is the QueueResult ({@code bridged},
   * {@code queue-full}, {@code hangup}, {@code system-error}…), {@code params} more action params.
   */
  record QueueLeft(String result, Map<String, String> params) implements CallCommand {}

  /**
   * The recogniser's answer for the speech a {@code <Gather>} captured ({@code
   * CallDelegates.listen}): {@code text} empty when nothing was recognised; {@code confidence}
   * 0.0–1.0.
   */
  record SpeechRecognized(String text, double confidence) implements CallCommand {}

  /** The {@code <Connect><Stream>} WebSocket closed; {@code params} go to its action. */
  record StreamClosed(Map<String, String> params) implements CallCommand {}

  /**
   * After an ARI reconnect: Asterisk still has this resource ({@code channel} or {@code bridge}
   * id) on {@code serverId}. An entity without a live call for it hangs the channel up or destroys
   * the bridge, except an {@code unanswered} inbound channel: one that waits in the application
   * unanswered and that Switchboard did not create, whose {@code StasisStart} went with the
   * socket; its call starts as if that event had come. A live call ignores it.
   */
  record Reconcile(
      String serverId,
      String resourceId,
      boolean bridge,
      Optional<ChannelEvent.ChannelInfo> unanswered)
      implements CallCommand {
    public Reconcile(String serverId, String resourceId, boolean bridge) {
      this(serverId, resourceId, bridge, Optional.empty());
    }
  }

  /**
   * An actor's message to itself (port results, timers). Such messages never leave their node,
   * so they are not registered with the cluster serializer.
   */
  non-sealed interface Internal extends CallCommand {}

  /**
   * The ring group's verdict for the leg that answered first. A standalone leg ({@code /ring}) runs
   * its answer URL only after this, so a leg that answered in the same instant and lost never runs
   * TwiML (it gets {@link CancelLeg} instead).
   */
  record LegWon() implements CallCommand {}

  /**
   * After a restart, a resumed dial takes its leg back: the entity loads the leg's durable state
   * (no new origination, no callback sent again), asks Asterisk about its channel and goes on
   * reporting to {@code reportTo}; {@code won} when the dial had already bridged this leg.
   */
  record ResumeLeg(LegSpec spec, ActorRef<LegReport> reportTo, boolean won) implements CallCommand {}

  /**
   * The ARI link to {@code serverId} came back after a gap in which events may have been lost:
   * a live call or leg on that server asks Asterisk about its channel, playbacks, recordings and
   * bridge, and acts on what vanished as if the lost events had arrived (see {@code CallResync}).
   * Sent to every live call and leg of the node, whether or not its channel still exists, with
   * the ids of the channels the reconnect's snapshot listed ({@code GET /channels}): a channel
   * listed there exists, so only the others are asked about.
   */
  record ServerResynced(String serverId, java.util.Set<String> listedChannels)
      implements CallCommand {
    public ServerResynced {
      listedChannels = java.util.Set.copyOf(listedChannels);
    }
  }

  /**
   * After a restart the store still holds this call's checkpoint: a call not running here resumes
   * from it if its channel was on {@code serverId}, and asks Asterisk whether that channel is still
   * there (a caller who hung up while no node ran gets its call ended and its callbacks sent). A
   * running call ignores it.
   */
  record Recover(String serverId) implements CallCommand {}

  /**
   * Tells {@code watcher} {@link CallEnded} when this call entity is over: at once when it has no
   * call (never started, or already ended), else when the entity stops. Idempotent per watcher;
   * a watcher that must survive the loss of the entity's node sends it again now and then (the
   * entity's next incarnation, without the call, answers at once).
   */
  record WatchEnd(ActorRef<CallEnded> watcher) implements CallCommand {}
}
