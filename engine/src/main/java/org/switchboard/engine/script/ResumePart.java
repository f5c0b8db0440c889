package org.switchboard.engine.script;

import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;
import org.switchboard.engine.script.ScriptState.QueueWait;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.DialCallStatus;

/**
 * A call resumed after a restart from its last checkpoint ({@link ScriptInput.Resumed}): what it
 * waited for is asked for again. What repeats, exactly:
 *
 * <ul>
 *   <li>a document request in flight is sent again (same URL, method and parameters; the
 *       application may see it twice);
 *   <li>Say, Play, Pause, {@code <Play digits>} and the error prompt start again from their first
 *       iteration; the prompt that was playing is stopped first;
 *   <li>a Gather starts again from its first nested prompt; digits typed before the restart are
 *       dropped (the caller hears the prompt again);
 *   <li>a caller in a queue rejoins it at the place its first join gave it ({@code enqueuedAt},
 *       so QueueTime and the position count from the first join) and its wait document is
 *       requested again, with current parameters;
 *   <li>a Record keeps waiting: the recording goes on on Asterisk and its end arrives as usual;
 *   <li>a Dial of Number, Sip or Client nouns is taken back from its durable ring and bridge
 *       state ({@link CallEffect.ResumeDial}): ringing legs ring on, a bridged call stays
 *       bridged and its action and recording callbacks come when the bridge ends; a Dial without
 *       such state ends {@code DialCallStatus=failed};
 *   <li>a Dial of a Queue bridged to the caller it took out of the queue is taken back the
 *       same way; the caller, bridged out of its queue, stays bridged and waits: the dequeuer's
 *       Dial tells it {@code QueueResult=bridged} (QueueSid, QueueTime) when the bridge ends;
 *   <li>a Dial of a Queue still waiting for a caller waits on for what is left of its timeout
 *       and takes the first caller that comes ({@code ring.QueueWaitRecord});
 *   <li>a Connect ends as a stream whose WebSocket closed: the application's socket went with
 *       the node, so the script goes on at the Connect's action (with {@code StreamError}) or its
 *       next verb, as Twilio does when a stream ends; no stream is opened again;
 *   <li>a {@code <Dial><Conference>} asks its room for its place again ({@code
 *       conference.ConferenceActor.Rejoin}, through {@link CallEffect.ResumeDial}): it stays in the
 *       conference the room took back, and its action comes when the conference ends for it.
 * </ul>
 */
final class ResumePart {
  /** The {@code StreamError} of a {@code <Connect>} whose stream went with a restart. */
  static final String STREAM_LOST = "the stream was lost: Switchboard restarted";

  private ResumePart() {}

  static void resume(Transition t) {
    Awaiting awaiting = t.state.awaiting();
    if (awaiting instanceof Awaiting.Document d) {
      t.fetch(d.fetch().purpose(), d.fetch().target(), d.fetch().params());
    } else if (awaiting instanceof Awaiting.Answer a) {
      t.emit(new CallEffect.AnswerCall());
    } else if (awaiting instanceof Awaiting.Recording || awaiting instanceof Awaiting.Begin) {
      return;
    } else if (awaiting instanceof Awaiting.Delegated d) {
      resumeDelegated(t, d.delegate());
    } else if (t.state.queue().isPresent()) {
      rejoin(t);
    } else if (awaiting instanceof Awaiting.ErrorPrompt) {
      Flow.interrupt(t);
      Flow.errorPrompt(t);
    } else {
      Flow.interrupt(t);
      Flow.runCurrent(t);
    }
  }

  private static void resumeDelegated(Transition t, Delegate delegate) {
    switch (delegate) {
      case QUEUE, QUEUE_REFRESH -> rejoin(t);
      case QUEUE_BRIDGED -> {
        // Bridged out of its queue: the bridge is its dequeuer's, whose resumed <Dial> keeps it
        // and tells this call the Enqueue result when it ends (CallCommand.QueueLeft); a hangup
        // meanwhile ends the Enqueue with bridged as ever.
      }
      case DIAL -> {
        Optional<Dial> dial = t.state.frame().flatMap(ScriptState.Frame::verb)
            .filter(Dial.class::isInstance).map(Dial.class::cast);
        if (dial.isPresent()) {
          t.emit(new CallEffect.ResumeDial(dial.get(), t.state.answered()));
        } else {
          t.warn("resumed after a restart during a <Dial> that is not the current verb:"
              + " it ends as failed");
          TwimlInterpreter.onDelegateEnded(
              t, delegate, Map.of("DialCallStatus", DialCallStatus.FAILED.wire()));
        }
      }
      case CONNECT -> {
        t.warn("resumed after a restart during a <Connect>: its stream went with the node; the"
            + " script goes on as after a stream that closed");
        TwimlInterpreter.onDelegateEnded(t, delegate, Map.of("StreamError", STREAM_LOST));
      }
      case REFER, REFER_ACCEPTED -> ReferPart.onResumed(t);
      case ECHO -> Flow.runCurrent(t);
      default -> throw new IllegalStateException("no rule to resume " + delegate);
    }
  }

  /** Back into the queue with the time of the first join; the wait loop starts again. */
  private static void rejoin(Transition t) {
    QueueWait q = t.state.queue().orElseThrow();
    if (!(t.state.awaiting() instanceof Awaiting.Delegated)) {
      Flow.interrupt(t);
    }
    t.emit(new CallEffect.RejoinQueue(q.enqueue(), q.enqueuedAt()));
    t.state = t.state.withQueue(Optional.of(
            new QueueWait(q.enqueue(), q.resume(), q.enqueuedAt(), Map.of(), false, false)))
        .withFrame(Optional.of(q.resume()));
    t.await(new Awaiting.Delegated(Delegate.QUEUE));
  }
}
