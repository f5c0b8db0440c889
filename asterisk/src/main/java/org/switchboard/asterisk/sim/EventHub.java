package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The Stasis applications and their event WebSockets. An application exists while a socket for it
 * is open; a newer socket replaces the older one (which gets {@code ApplicationReplaced} and then
 * nothing); closing the current socket unregisters the application. Without {@code subscribeAll}
 * an application only receives events of channels it owns in Stasis and of the channels and
 * bridges it subscribed to (by originating or creating them, or explicitly). Guarded by the
 * simulator's lock.
 */
final class EventHub {
  private static final System.Logger LOG = System.getLogger(EventHub.class.getName());

  /** The sending side of one WebSocket. */
  interface Socket {
    /** Queues a text frame; false when the socket cannot take it. */
    boolean send(String text);

    /** Closes the socket from the server side. */
    void close();
  }

  private static final class App {
    final Socket socket;
    final boolean subscribeAll;

    App(Socket socket, boolean subscribeAll) {
      this.socket = socket;
      this.subscribeAll = subscribeAll;
    }
  }

  private final Map<String, App> apps = new LinkedHashMap<>();
  private final Map<String, Set<String>> subscriptions = new HashMap<>();
  private final SimLog log;
  private final String asteriskId;
  private final SimClock clock;
  private Function<String, String> stasisAppOf = id -> null;
  private Instant refusedUntil = Instant.MIN;

  EventHub(SimLog log, String asteriskId, SimClock clock) {
    this.log = log;
    this.asteriskId = asteriskId;
    this.clock = clock;
  }

  void setStasisLookup(Function<String, String> lookup) {
    this.stasisAppOf = lookup;
  }

  void connect(String app, boolean subscribeAll, Socket socket) {
    App old = apps.put(app, new App(socket, subscribeAll));
    if (old != null) {
      ObjectNode replaced = AriJson.object().put("type", "ApplicationReplaced")
          .put("timestamp", AriJson.time(clock.now()));
      deliver(app, old.socket, replaced);
    }
  }

  void disconnected(String app, Socket socket) {
    App current = apps.get(app);
    if (current != null && current.socket == socket) {
      apps.remove(app);
    }
  }

  /** Closes every socket from the server side; the applications disappear. */
  void dropAll() {
    List<App> all = new ArrayList<>(apps.values());
    apps.clear();
    all.forEach(a -> a.socket.close());
  }

  /**
   * Closes every socket and refuses new ones until {@code until}: events emitted meanwhile go to
   * no one, as on an Asterisk whose application has no socket.
   */
  void dropAllUntil(Instant until) {
    dropAll();
    if (until.isAfter(refusedUntil)) {
      refusedUntil = until;
    }
  }

  /** Whether a new event socket is accepted at {@code now}. */
  boolean accepting(Instant now) {
    return !now.isBefore(refusedUntil);
  }

  boolean registered(String app) {
    return apps.containsKey(app);
  }

  List<String> appNames() {
    return new ArrayList<>(apps.keySet());
  }

  void subscribe(String app, String topic) {
    subscriptions.computeIfAbsent(app, a -> new HashSet<>()).add(topic);
  }

  void forgetFor(String app, String topic) {
    subscriptions.getOrDefault(app, new HashSet<>()).remove(topic);
  }

  void forget(String topic) {
    subscriptions.values().forEach(s -> s.remove(topic));
  }

  /** The application resource (GET /applications/{name}) or null when not registered. */
  ObjectNode describe(String app, Collection<String> stasisChannels, Set<String> bridgeIds) {
    App a = apps.get(app);
    if (a == null) {
      return null;
    }
    ObjectNode n = AriJson.object().put("name", app);
    ArrayNode channels = n.putArray("channel_ids");
    ArrayNode bridges = n.putArray("bridge_ids");
    ArrayNode endpoints = n.putArray("endpoint_ids");
    ArrayNode devices = n.putArray("device_names");
    if (a.subscribeAll) {
      channels.add("__AST_CHANNEL_ALL_TOPIC");
      bridges.add("__AST_BRIDGE_ALL_TOPIC");
      endpoints.add("__AST_ENDPOINT_ALL_TOPIC");
      devices.add("__AST_DEVICE_STATE_ALL_TOPIC");
    } else {
      Set<String> ch = new TreeSet<>(stasisChannels);
      Set<String> br = new TreeSet<>();
      for (String t : subscriptions.getOrDefault(app, Set.of())) {
        (bridgeIds.contains(t) ? br : ch).add(t);
      }
      ch.forEach(channels::add);
      br.forEach(bridges::add);
    }
    n.putArray("events_allowed");
    n.putArray("events_disallowed");
    return n;
  }

  /**
   * Sends an event to every application that should see it.
   *
   * @param event the event without {@code asterisk_id}/{@code application}
   * @param topics channel and bridge ids the event concerns
   * @param onlyApp when not null, only this application gets it (StasisStart/End)
   * @param twiceForAll subscribeAll sockets get it twice (bridge playbacks, as Asterisk does)
   */
  void emit(ObjectNode event, Collection<String> topics, String onlyApp, boolean twiceForAll) {
    for (Map.Entry<String, App> e : new ArrayList<>(apps.entrySet())) {
      String name = e.getKey();
      App app = e.getValue();
      if (onlyApp != null && !onlyApp.equals(name)) {
        continue;
      }
      if (onlyApp == null && !app.subscribeAll && !interested(name, topics)) {
        continue;
      }
      deliver(name, app.socket, event);
      if (twiceForAll && app.subscribeAll) {
        deliver(name, app.socket, event);
      }
    }
  }

  private boolean interested(String app, Collection<String> topics) {
    Set<String> subs = subscriptions.getOrDefault(app, Set.of());
    for (String t : topics) {
      if (subs.contains(t) || app.equals(stasisAppOf.apply(t))) {
        return true;
      }
    }
    return false;
  }

  private void deliver(String app, Socket socket, ObjectNode event) {
    ObjectNode copy = event.deepCopy();
    copy.put("asterisk_id", asteriskId).put("application", app);
    String text = AriJson.write(copy);
    String type = event.path("type").asText();
    if (!socket.send(text)) {
      LOG.log(System.Logger.Level.ERROR,
          "event socket of app {0} is full or closed; {1} not delivered", app, type);
    }
    log.event(new SimLog.Event(clock.now(), app, type, text));
  }
}
