package org.switchboard.engine.queue;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.ClusterMessage;
import org.switchboard.engine.protocol.LegSpec;

/**
 * What a queued caller's call actor is told (through the {@code notices} ref it gave in {@link
 * QueueActor.Join}), and how it answers the {@code <Dial><Queue>} that took it.
 */
public sealed interface QueueNotice extends ClusterMessage {

  /**
   * A {@code <Dial><Queue>} took this caller from the front of the queue. The call actor stops its
   * wait loop (waitUrl playback, hold music), runs {@code url} if present (the {@code <Queue url>}
   * TwiML, §4.11: QueueSid, CallSid, QueueTime, DequeingCallSid), then tells {@code session}
   * {@link MemberReady}, or {@link MemberGone} if the caller hung up meanwhile. It then stays in
   * the bridge (the dequeuer adds it) until {@link BridgeEnded}.
   */
  record Dequeued(
      String queueSid,
      String queueName,
      String dequeuerCallSid,
      Optional<LegSpec.TwimlSource> url,
      int queueTimeSeconds,
      ActorRef<MemberReply> session)
      implements QueueNotice {}

  /**
   * The dequeuer went away before the bridge was made: the caller is back at the front of the
   * queue and resumes its wait loop.
   */
  record DequeueAborted(String queueSid) implements QueueNotice {}

  /**
   * The bridge with the dequeuer is over (the dequeuer hung up or its dial ended). The caller's
   * {@code <Enqueue action>} gets {@code QueueResult=queueResult} ({@code bridged}), QueueSid and
   * QueueTime; without action the script continues after the Enqueue.
   */
  record BridgeEnded(String queueSid, String queueResult, int queueTimeSeconds, int bridgedSeconds)
      implements QueueNotice {
    /** The Enqueue action's parameters besides QueueResult: QueueSid and QueueTime. */
    public java.util.Map<String, String> actionParams() {
      java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
      params.put("QueueSid", queueSid);
      params.put("QueueTime", Integer.toString(queueTimeSeconds));
      return java.util.Map.copyOf(params);
    }
  }

  /** A dequeued member's answer to the {@code <Dial><Queue>} session. */
  sealed interface MemberReply extends ClusterMessage {
    String callSid();
  }

  /** The member is ready to be bridged on {@code channel}. */
  record MemberReady(String callSid, ChannelRef channel) implements MemberReply {}

  /** The member hung up (before or during the bridge). */
  record MemberGone(String callSid) implements MemberReply {}
}
