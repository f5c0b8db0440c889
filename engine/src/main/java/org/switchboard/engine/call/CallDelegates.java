package org.switchboard.engine.call;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.DialCallStatus;
import org.switchboard.engine.twiml.verb.QueueResult;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Start;

/**
 * The hook through which a call hands verbs it does not run itself to other actors: {@code
 * <Dial>} (ring groups, legs), {@code <Enqueue>} (queue actors), {@code <Connect>}/{@code <Start>}
 * streams. Each method is called inside the call actor and may spawn children through {@link
 * Context#actor()}. Results come back to {@link Context#call()} as {@link
 * CallCommand.DialFinished}, {@link CallCommand.QueueWaiting}/{@link CallCommand.QueueDequeued}/
 * {@link CallCommand.QueueLeft} and {@link CallCommand.StreamClosed}.
 */
public interface CallDelegates {

  /** What a delegate knows about the call that starts it. */
  record Context(
      String callSid,
      ChannelRef channel,
      ActorRef<CallCommand> call,
      ActorContext<CallCommand> actor,
      List<Map.Entry<String, String>> callParams) {}

  /** Runs a {@code <Dial>}; must end with one {@link CallCommand.DialFinished}. */
  Delegation dial(Context context, Dial dial, boolean callerAnswered);

  /**
   * Takes back, after a restart, the {@code <Dial>} the call ran when its node stopped (ringing
   * legs ring on, a bridge stays up); must end with one {@link CallCommand.DialFinished}.
   * Delegates without durable dials end it {@code failed}.
   */
  default Delegation resumeDial(Context context, Dial dial, boolean callerAnswered) {
    context.actor().getLog().warn("this engine cannot take a <Dial> back after a restart;"
        + " it ends as failed");
    context.call().tell(new CallCommand.DialFinished(
        Map.of("DialCallStatus", DialCallStatus.FAILED.wire())));
    return Delegation.NONE;
  }

  /** Joins a queue; must end with one {@link CallCommand.QueueLeft}. */
  Delegation enqueue(Context context, Enqueue enqueue);

  /**
   * Joins a queue again after a restart, at the place a join at {@code enqueuedAt} gives;
   * otherwise as {@link #enqueue}. Delegates without a durable queue just join.
   */
  default Delegation rejoin(Context context, Enqueue enqueue, java.time.Instant enqueuedAt) {
    return enqueue(context, enqueue);
  }

  /** A bidirectional stream; must end with one {@link CallCommand.StreamClosed}. */
  Delegation connect(Context context, Connect connect);

  /**
   * {@code <Echo>}: the caller hears itself until {@link Delegation#stop}. Without ARI support the
   * request is logged and the caller hears silence for the echo's length.
   */
  default Delegation echo(Context context) {
    context.actor().getLog().warn("<Echo> is not available in this engine; call {} hears silence",
        context.callSid());
    return Delegation.NONE;
  }

  /** A media fork beside the script. */
  Delegation startStream(Context context, Start start);

  /**
   * Listens to the caller for the speech of {@code gather}: talk detection on the call's channel
   * (its {@code ChannelTalkingStarted}/{@code Finished} reach the script directly) and the caller's
   * audio captured; on {@link Delegation#endOfInput()} (or at the longest speech) the capture is
   * recognised and reported once as {@link CallCommand.SpeechRecognized}. Without a recogniser the
   * request is logged and the gather runs on DTMF and its timeout.
   */
  default Delegation listen(Context context, Gather gather) {
    context.actor().getLog().warn("<Gather input=\"{}\">: no speech recogniser in this engine;"
        + " speech is not heard on call {}", gather.input().stream().map(Gather.Input::wire)
        .collect(java.util.stream.Collectors.joining(" ")), context.callSid());
    return Delegation.NONE;
  }

  /**
   * Transcribes a finished {@code <Record transcribe="true">} recording and POSTs the outcome to
   * its {@code transcribeCallback} with {@code context}'s call parameters. Not a delegation: the
   * transcription outlives the call, and ends in one {@code completed} or {@code failed}
   * callback. Without a transcriber the request is logged and nothing is sent.
   */
  default void transcribe(Context context, CallEffect.Transcribe request) {
    context.actor().getLog().warn("<Record transcribe>: no transcriber in this engine; recording"
        + " {} of call {} is not transcribed", request.recordingSid(), context.callSid());
  }

  /**
   * Delegates for an engine without dial, queue or stream support: each request is logged and
   * ends at once (DialCallStatus {@code failed}, QueueResult {@code system-error}).
   */
  static CallDelegates unsupported() {
    return new CallDelegates() {
      @Override
      public Delegation dial(Context c, Dial dial, boolean callerAnswered) {
        c.actor().getLog().warn("<Dial> is not available in this engine");
        c.call().tell(new CallCommand.DialFinished(Map.of("DialCallStatus", DialCallStatus.FAILED.wire())));
        return Delegation.NONE;
      }

      @Override
      public Delegation enqueue(Context c, Enqueue enqueue) {
        c.actor().getLog().warn("<Enqueue> is not available in this engine");
        c.call().tell(new CallCommand.QueueLeft(QueueResult.SYSTEM_ERROR.wire(), Map.of()));
        return Delegation.NONE;
      }

      @Override
      public Delegation connect(Context c, Connect connect) {
        c.actor().getLog().warn("<Connect><Stream> is not available in this engine");
        c.call().tell(new CallCommand.StreamClosed(Map.of()));
        return Delegation.NONE;
      }

      @Override
      public Delegation startStream(Context c, Start start) {
        c.actor().getLog().warn("<Start><Stream> is not available in this engine; ignored");
        return Delegation.NONE;
      }
    };
  }
}
