package org.switchboard.asterisk.sim;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A bounded log of the REST requests the simulator received and the events it sent. */
public final class SimLog {

  /**
   * One REST request.
   *
   * @param at simulated time of arrival
   * @param method HTTP method
   * @param path path with {@code /ari}
   * @param query raw query string (may be empty)
   * @param body request body text (may be empty)
   * @param status response status
   * @param transport {@link #HTTP} or {@link #WEBSOCKET} (a RESTRequest on the event socket)
   */
  public record Request(Instant at, String method, String path, String query, String body,
      int status, String transport) {}

  /** A request that came as an HTTP request. */
  public static final String HTTP = "http";
  /** A request that came as a RESTRequest frame on an event WebSocket. */
  public static final String WEBSOCKET = "websocket";

  /**
   * One event written to a WebSocket.
   *
   * @param at simulated time
   * @param app receiving application
   * @param type event type
   * @param json the frame text
   */
  public record Event(Instant at, String app, String type, String json) {}

  private final int limit;
  private final ArrayDeque<Request> requests = new ArrayDeque<>();
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private final ArrayDeque<Event> missed = new ArrayDeque<>();
  private long dropped;

  SimLog(int limit) {
    this.limit = Math.max(1, limit);
  }

  synchronized void request(Request r) {
    if (requests.size() == limit) {
      requests.removeFirst();
      dropped++;
    }
    requests.addLast(r);
  }

  synchronized void event(Event e) {
    if (events.size() == limit) {
      events.removeFirst();
      dropped++;
    }
    events.addLast(e);
  }

  synchronized void missed(Event e) {
    if (missed.size() == limit) {
      missed.removeFirst();
    }
    missed.addLast(e);
  }

  /** The requests received so far (oldest first, bounded). */
  public synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** The events sent so far (oldest first, bounded). */
  public synchronized List<Event> events() {
    return new ArrayList<>(events);
  }

  /**
   * The events an application missed because it had no event socket at the time (Asterisk's
   * "Inactive Stasis app missed message"), oldest first, bounded.
   */
  public synchronized List<Event> missed() {
    return new ArrayList<>(missed);
  }

  /**
   * Requests and events dropped so far because the log was full (a reader that clears the log
   * less often than {@code limit} entries arrive loses the oldest).
   */
  public synchronized long dropped() {
    return dropped;
  }

  /** Forgets everything logged so far. */
  public synchronized void clear() {
    requests.clear();
    events.clear();
    missed.clear();
  }
}
