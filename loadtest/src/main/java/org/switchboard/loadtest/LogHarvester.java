package org.switchboard.loadtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.switchboard.asterisk.sim.SimLog;

/**
 * Takes everything the simulator logged since the last call and empties its log, so the log
 * never grows with the number of calls (and its memory does not count as per-call heap).
 * Atomic: {@link SimLog}'s methods synchronize on the log, and so does this.
 */
public final class LogHarvester {
  private final SimLog log;

  /** Harvests {@code log}. */
  public LogHarvester(SimLog log) {
    this.log = log;
  }

  /** The new entries, in time order (events before requests at the same microsecond). */
  public List<SimEntry> drain() {
    List<SimLog.Request> requests;
    List<SimLog.Event> events;
    synchronized (log) {
      requests = log.requests();
      events = log.events();
      log.clear();
    }
    List<SimEntry> out = new ArrayList<>(requests.size() + events.size());
    for (SimLog.Event e : events) {
      out.add(SimEntry.Event.of(SimEntry.micros(e.at()), e.type(), e.json()));
    }
    for (SimLog.Request r : requests) {
      out.add(new SimEntry.Request(SimEntry.micros(r.at()), r.method(), r.path(),
          r.query() + " " + r.body()));
    }
    out.sort(ORDER);
    return out;
  }

  /** Time order; an event sorts before a request logged in the same microsecond. */
  static final Comparator<SimEntry> ORDER =
      Comparator.comparingLong(SimEntry::atMicros)
          .thenComparingInt(e -> e instanceof SimEntry.Event ? 0 : 1);
}
