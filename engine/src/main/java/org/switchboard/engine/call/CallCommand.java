package org.switchboard.engine.call;

import java.net.URI;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.cluster.ClusterMessage;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.WebhookPort;

/**
 * Everything a call entity understands. A call entity is the Cluster Sharding entity that owns one
 * channel, keyed by its CallSid ({@link org.switchboard.engine.port.CallSids#forChannel}). It
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
  record Redirect(Optional<URI> url, WebhookPort.Method method, Optional<String> twiml)
      implements CallCommand {}

  /** Asks for the call's current state (REST fetch, /status). */
  record GetSnapshot(ActorRef<CallSnapshot> replyTo) implements CallCommand {}
}
