package org.switchboard.engine.call;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.switchboard.engine.port.ChannelEvent;

/**
 * The running {@link Delegation}s of one call, by what each stands for ({@link Key}), and the ones
 * its end stopped: a dial still ending (stopping its bridge recording) hears its bridge's events,
 * such as {@code RecordingFinished}, while the call tears down. Used only inside one call actor.
 */
final class Delegations {

  /** What a delegation stands for: at most one runs per key. */
  record Key(Kind kind, String name) {
    /** The call's {@code <Dial>} or {@code <Connect>}. */
    static final Key CALL = new Key(Kind.CALL, "");

    /** The call's queue membership ({@code <Enqueue>}). */
    static final Key QUEUE = new Key(Kind.QUEUE, "");

    /** The speech capture of the call's {@code <Gather>}. */
    static final Key SPEECH = new Key(Kind.SPEECH, "");

    /** The {@code <Start><Stream>} named {@code name}. */
    static Key stream(String name) {
      return new Key(Kind.STREAM, name);
    }
  }

  /** The kinds of delegation a call runs. */
  enum Kind {
    CALL,
    QUEUE,
    STREAM,
    SPEECH
  }

  private final Map<Key, Delegation> running = new HashMap<>();
  private final List<Delegation> stopped = new ArrayList<>();

  /** {@code delegation} now runs for {@code key}. */
  void start(Key key, Delegation delegation) {
    running.put(key, delegation);
  }

  /** The delegation of {@code key} ended on its own (it reported back). */
  void ended(Key key) {
    running.remove(key);
  }

  /** Stops the delegation of {@code key}, if one runs, for {@code reason}. */
  void stop(Key key, String reason) {
    Delegation d = running.remove(key);
    if (d != null) {
      d.stop(reason);
    }
  }

  /** Asks the delegation of {@code key}, if any, to refresh ({@link Delegation#refresh()}). */
  void refresh(Key key) {
    running.getOrDefault(key, Delegation.NONE).refresh();
  }

  /** Tells the delegation of {@code key}, if any, that input ended ({@link Delegation#endOfInput()}). */
  void endOfInput(Key key) {
    running.getOrDefault(key, Delegation.NONE).endOfInput();
  }

  /** Whether none runs. */
  boolean isEmpty() {
    return running.isEmpty();
  }

  /** Offers {@code event} to every running delegation. */
  void offer(ChannelEvent event) {
    for (Delegation d : List.copyOf(running.values())) {
      d.onEvent(event);
    }
  }

  /** Tells every running delegation that {@code serverId} resynced ({@link Delegation#resynced}). */
  void resynced(String serverId) {
    for (Delegation d : List.copyOf(running.values())) {
      d.resynced(serverId);
    }
  }

  /** Whether a running delegation holds {@code resourceId} ({@link Delegation#holds}). */
  boolean holds(String resourceId) {
    return running.values().stream().anyMatch(d -> d.holds(resourceId));
  }

  /** The call ended: every running delegation stops for {@code reason} and hears its bridge on. */
  void stopAll(String reason) {
    List<Delegation> all = List.copyOf(running.values());
    all.forEach(d -> d.stop(reason));
    stopped.addAll(all);
    running.clear();
  }

  /** Offers {@code event} (of one of the call's bridges) to the delegations the call's end stopped. */
  void offerToStopped(ChannelEvent event) {
    stopped.forEach(d -> d.onEvent(event));
  }
}
