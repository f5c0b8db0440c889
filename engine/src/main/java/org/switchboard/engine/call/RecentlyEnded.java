package org.switchboard.engine.call;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@code capacity} CallSids whose inbound call ended on this node with its channel gone
 * (Asterisk confirmed the hangup, or the channel was destroyed): their entity is over for good, so
 * an end-of-life event that trails it ({@code EntityEnd.isTrailing}) has nothing left to reach.
 * {@link ShardedEventSink} acknowledges such an event itself instead of starting a fresh entity
 * through sharding only for it to acknowledge the event and passivate again (about 1.6 entities
 * per {@code simple} call: the channel's {@code ChannelHangupRequest}s and {@code
 * ChannelDestroyed} that Asterisk sends after the call's own entity ended). Bounded: the oldest is
 * forgotten first, and a forgotten call's trailing events take the ordinary way. A CallSid that
 * starts a call again (its {@code StasisStart}, or its registration in {@link ActiveCalls}) is
 * forgotten at once. Thread-safe.
 */
final class RecentlyEnded {
  private final int capacity;
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<String> order = new ArrayDeque<>();

  RecentlyEnded(int capacity) {
    this.capacity = capacity;
  }

  void add(String callSid) {
    synchronized (order) {
      if (!members.add(callSid)) {
        return;
      }
      order.addLast(callSid);
      if (order.size() > capacity) {
        members.remove(order.pollFirst());
      }
    }
  }

  /**
   * A call starts again under {@code callSid} (a channel id used again): its trailing events are
   * its own from now on. Its place in the order stays until it is the oldest.
   */
  void forget(String callSid) {
    members.remove(callSid);
  }

  boolean contains(String callSid) {
    return members.contains(callSid);
  }
}
