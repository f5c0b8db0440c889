package org.switchboard.engine.call;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.script.ScriptState;

/**
 * Writes a call's {@link CallCheckpoint} at its verb boundaries: whenever the verb, what the
 * script waits for, the gathered digits, the queue membership, the answer or the ids used change
 * (not on every ARI event). Nothing is written in memory mode or once the script is over; {@link
 * #forget} clears the checkpoint when the call ends.
 */
final class Checkpointing {
  private final Optional<ActorRef<CallCheckpoints.Command>> store;
  private final CallStart start;
  private final String callSid;
  private final Instant startTime;
  private List<Object> last = List.of();

  Checkpointing(
      Optional<ActorRef<CallCheckpoints.Command>> store, String callSid, CallStart start,
      Instant startTime) {
    this.store = store;
    this.callSid = callSid;
    this.start = start;
    this.startTime = startTime;
  }

  /** The script stepped to {@code script}; writes a checkpoint if it crossed a boundary. */
  void stepped(ScriptState script, Optional<Instant> answeredAt, int statusSequence) {
    if (store.isEmpty() || script.finished()) {
      return;
    }
    List<Object> key = boundary(script, answeredAt);
    if (key.equals(last)) {
      return;
    }
    last = key;
    store.get().tell(new CallCheckpoints.Save(new CallCheckpoint(callSid, start.channel(),
        start.params(), start.application(), startTime, answeredAt, statusSequence, script)));
  }

  /** The call is over: its checkpoint goes. */
  void forget() {
    store.ifPresent(s -> s.tell(new CallCheckpoints.Forget()));
  }

  private static List<Object> boundary(ScriptState s, Optional<Instant> answeredAt) {
    Object digits = s.awaiting() instanceof ScriptState.Awaiting.Gathering g
        ? g.progress().digits() : "";
    return List.of(
        s.frame().map(f -> System.identityHashCode(f.document())).orElse(0),
        s.frame().map(ScriptState.Frame::pc).orElse(-1),
        s.awaiting().getClass(),
        digits,
        s.queue().map(q -> (Object) q.enqueuedAt()).orElse(""),
        s.counter(),
        answeredAt.isPresent());
  }
}
