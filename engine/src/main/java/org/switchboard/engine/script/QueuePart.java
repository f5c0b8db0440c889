package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.QueueResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;
import org.switchboard.engine.script.ScriptState.QueueWait;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Leave;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Verb;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * {@code <Enqueue>} (spec §4.10): the queue itself lives in a queue actor; the waitUrl loop runs
 * here. While queued the frame is the wait document; when it runs out the queue is asked for the
 * caller's current position ({@link CallEffect.RefreshQueue}) and the waitUrl is requested again
 * with it, so a caller costs the queue nothing while its wait document plays. Leaving (Leave,
 * dequeue, queue result) resumes after the Enqueue or at its action.
 */
final class QueuePart {
  private QueuePart() {}

  static boolean allowedWhileWaiting(Verb verb) {
    return verb instanceof Play
        || verb instanceof Say
        || verb instanceof Pause
        || verb instanceof Gather
        || verb instanceof Hangup
        || verb instanceof Redirect
        || verb instanceof Leave;
  }

  static void join(Transition t, Enqueue enqueue) {
    t.emit(new CallEffect.JoinQueue(enqueue));
    QueueWait wait = new QueueWait(enqueue, t.state.frame().orElseThrow(),
        t.settings.clock().instant(), Map.of(), false, false);
    t.state = t.state.withQueue(Optional.of(wait));
    t.await(new Awaiting.Delegated(Delegate.QUEUE));
  }

  /**
   * Current waitUrl parameters. The first ones start the wait loop; asked for by {@link
   * #waitDocumentOver} they request the waitUrl again; arriving after a dequeue (the dequeuer went
   * away before the bridge, the caller is back at the front) they restart it.
   */
  static void onQueued(Transition t, Map<String, String> params) {
    Optional<QueueWait> current = t.state.queue();
    if (current.isEmpty()) {
      return;
    }
    boolean wanted = t.state.awaiting() instanceof Awaiting.Delegated d
        && (d.delegate() == Delegate.QUEUE_BRIDGED || d.delegate() == Delegate.QUEUE_REFRESH);
    QueueWait q = current.get();
    t.state = t.state.withQueue(Optional.of(q.withWaitParams(params)));
    if (!q.started() || wanted) {
      restartWait(t);
    }
  }

  /**
   * The wait document ran out: a waitUrl is requested again once the queue told the caller's
   * current position (QUEUE_REFRESH); hold music or silence just go on.
   */
  static void waitDocumentOver(Transition t) {
    if (t.state.queue().orElseThrow().enqueue().waitUrl() instanceof WaitUrl.Fetch) {
      t.emit(new CallEffect.RefreshQueue());
      t.await(new Awaiting.Delegated(Delegate.QUEUE_REFRESH));
    } else {
      restartWait(t);
    }
  }

  /** Starts (or restarts) what the caller hears while waiting. */
  static void restartWait(Transition t) {
    QueueWait q = t.state.queue().orElseThrow();
    WaitUrl waitUrl = q.enqueue().waitUrl();
    if (waitUrl instanceof WaitUrl.Fetch fetch) {
      t.fetch(FetchPurpose.WAIT_URL, new Webhook(fetch.url(), q.enqueue().waitUrlMethod()),
          Flow.sorted(q.waitParams()));
    } else {
      if (waitUrl instanceof WaitUrl.DefaultMusic && !q.holdMusic()) {
        t.emit(new CallEffect.StartHoldMusic());
        t.state = t.state.withQueue(Optional.of(q.withHoldMusic(true)));
      }
      t.await(new Awaiting.Delegated(Delegate.QUEUE));
    }
  }

  /** {@code <Leave>}: out of the queue, on with QueueResult=leave. */
  static void leave(Transition t) {
    t.emit(new CallEffect.LeaveQueue(QueueResult.LEAVE.wire()));
    QueueWait q = t.state.queue().orElseThrow();
    exit(t, QueueResult.LEAVE.wire(), queueParams(q, t.settings.clock().instant()));
  }

  /** A bad wait document or failed wait request: out of the queue with QueueResult=error. */
  static void abandonQueue(Transition t, QueueResult result) {
    Optional<QueueWait> q = t.state.queue();
    if (q.isEmpty()) {
      return;
    }
    t.emit(new CallEffect.LeaveQueue(result.wire()));
    stopWait(t);
    exit(t, result.wire(), queueParams(q.get(), t.settings.clock().instant()));
  }

  static void onDequeued(Transition t) {
    if (t.state.queue().isEmpty()) {
      return;
    }
    stopWait(t);
    t.await(new Awaiting.Delegated(Delegate.QUEUE_BRIDGED));
  }

  static void onExited(Transition t, String result, Map<String, String> params) {
    if (t.state.queue().isEmpty()) {
      return;
    }
    stopWait(t);
    exit(t, result, params);
  }

  /** Stops the wait script and hold music; the queue stays until {@link #exit}. */
  static void stopWait(Transition t) {
    QueueWait q = t.state.queue().orElseThrow();
    Flow.interrupt(t);
    if (q.holdMusic()) {
      t.emit(new CallEffect.StopHoldMusic());
      t.state = t.state.withQueue(Optional.of(q.withHoldMusic(false)));
    }
  }

  private static void exit(Transition t, String result, Map<String, String> params) {
    QueueWait q = t.state.queue().orElseThrow();
    t.state = t.state.withQueue(Optional.empty()).withFrame(Optional.of(q.resume()));
    if (q.enqueue().action().isPresent()) {
      List<Map.Entry<String, String>> out = new ArrayList<>();
      out.add(Map.entry("QueueResult", result));
      Flow.sorted(params).stream().filter(e -> !e.getKey().equals("QueueResult")).forEach(out::add);
      Flow.action(t, new Webhook(q.enqueue().action().get(), q.enqueue().method()), out);
    } else {
      Flow.advance(t);
    }
  }

  /** QueueSid and QueueTime (up to {@code now}) for an action; none if the queue never answered. */
  private static Map<String, String> queueParams(QueueWait q, Instant now) {
    Map<String, String> out = new java.util.TreeMap<>();
    String queueSid = q.waitParams().get("QueueSid");
    if (queueSid != null) {
      out.put("QueueSid", queueSid);
      long seconds = Duration.between(q.enqueuedAt(), now).toSeconds();
      out.put("QueueTime", Long.toString(Math.max(0, seconds)));
    }
    return out;
  }

  /**
   * The caller hung up while queued: the Enqueue action, if any, is still requested (after
   * hangup; its TwiML cannot run) with {@code QueueResult=bridged} when the caller was bridged to
   * its dequeuer, {@code hangup} when it was still waiting (spec §4.10; hotline apps count
   * abandoned callers from it). Returns whether it applied.
   */
  static boolean onQueuedCallEnded(Transition t, Instant at) {
    Optional<QueueWait> q = t.state.queue();
    if (q.isEmpty()) {
      return false;
    }
    boolean bridged =
        t.state.awaiting() instanceof Awaiting.Delegated d && d.delegate() == Delegate.QUEUE_BRIDGED;
    Enqueue enqueue = q.get().enqueue();
    if (enqueue.action().isPresent()) {
      List<Map.Entry<String, String>> out = new ArrayList<>();
      out.add(Map.entry("QueueResult",
          (bridged ? QueueResult.BRIDGED : QueueResult.HANGUP).wire()));
      out.addAll(Flow.sorted(queueParams(q.get(), at)));
      long id = t.state.counter() + 1;
      t.state = t.state.withCounter(id);
      t.emit(new CallEffect.FetchTwiml(id, enqueue.action().get(), enqueue.method(), out,
          FetchPurpose.AFTER_HANGUP));
    }
    t.state = t.state.withQueue(Optional.empty());
    t.finish();
    return true;
  }

  /** Takes the caller out of the queue without resuming after the Enqueue (REST redirect). */
  static void abandonQueueSilently(Transition t, QueueResult result) {
    t.emit(new CallEffect.LeaveQueue(result.wire()));
    stopWait(t);
    t.state = t.state.withQueue(Optional.empty());
  }
}
