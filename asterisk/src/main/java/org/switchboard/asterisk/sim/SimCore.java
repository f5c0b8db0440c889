package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The simulated PBX state: channels, bridges, playbacks, recordings, and the channel life cycle
 * (Stasis entry and exit, hangup sequences) with the event order a real Asterisk 22 produces.
 * Everything runs under one lock; events are queued to the sockets inside it, so each socket sees
 * them in the order they happened.
 */
final class SimCore {
  /** How a hangup starts. */
  enum HangupStart {
    /** DELETE via ARI: {@code ChannelHangupRequest(32, soft)} first. */
    ARI,
    /** The device hung up: {@code ChannelHangupRequest(cause)}. */
    REMOTE,
    /** The channel's dialplan ended (no request event of its own). */
    DIALPLAN
  }

  final ReentrantLock lock = new ReentrantLock();
  final SimConfig config;
  final SimClock clock;
  final SimLog log;
  final EventHub hub;
  final DialPlan dialPlan;
  final AmdDialplan amd = new AmdDialplan(this);
  final Transfers transfers = new Transfers(this);
  final Map<String, SimChannel> channels = new LinkedHashMap<>();
  /** The ids of {@link #channels}, lower-cased, for {@link #requireUnusedUniqueId}. */
  private final java.util.TreeSet<String> liveIds = new java.util.TreeSet<>();
  final Map<String, SimBridge> bridges = new LinkedHashMap<>();
  final Map<String, SimPlayback> playbacks = new HashMap<>();
  final Map<String, SimRecording> recordings = new LinkedHashMap<>();
  final Map<String, ExternalMedia> externalMedia = new java.util.concurrent.ConcurrentHashMap<>();
  final RtpEngine rtp = new RtpEngine();
  final DynamicConfig dynamicConfig = new DynamicConfig();
  final SimFault.Armed faults = new SimFault.Armed();
  Media media;
  Bridging bridging;
  private long uniqueCounter;
  private int localCounter;
  private final long bootEpoch;

  SimCore(SimConfig config) {
    this.config = config;
    this.clock = config.clock();
    this.log = new SimLog(config.logLimit());
    this.hub = new EventHub(log, config.asteriskId(), clock);
    this.dialPlan = new DialPlan(config.dialRules(), config.defaultDial());
    this.bootEpoch = clock.now().getEpochSecond();
    hub.setStasisLookup(id -> {
      SimChannel c = channels.get(id);
      return c == null ? null : c.stasisApp;
    });
  }

  <T> T locked(Supplier<T> op) {
    lock.lock();
    try {
      return op.get();
    } finally {
      lock.unlock();
    }
  }

  void locked(Runnable op) {
    lock.lock();
    try {
      op.run();
    } finally {
      lock.unlock();
    }
  }

  /** Schedules a task that runs under the lock, tied to a channel (cancelled at hangup). */
  void later(SimChannel owner, Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      task.run();
      return;
    }
    SimClock.Timer[] holder = new SimClock.Timer[1];
    holder[0] = clock.schedule(delay, () -> locked(() -> {
      if (owner != null) {
        owner.timers.remove(holder[0]);
      }
      if (owner == null || !owner.destroyed) {
        task.run();
      }
    }));
    if (owner != null) {
      owner.timers.add(holder[0]);
    }
  }

  String uniqueId() {
    return bootEpoch + "." + (uniqueCounter++);
  }

  long uniqueCounterHint() {
    return uniqueCounter * 0x1a0L;
  }

  String localSuffix() {
    return String.format("%08x", localCounter++);
  }

  SimChannel channel(String id) {
    SimChannel c = channels.get(id);
    if (c == null || c.destroyed) {
      throw AriError.channelNotFound();
    }
    return c;
  }

  SimChannel stasisChannel(String id) {
    SimChannel c = channel(id);
    if (!c.inStasis()) {
      throw AriError.notInStasis();
    }
    return c;
  }

  SimChannel newChannel(String id, String name, String technology, String state) {
    requireUnusedUniqueId(id);
    SimChannel c = new SimChannel(id, name, technology, state, clock.now());
    channels.put(id, c);
    liveIds.add(id.toLowerCase(java.util.Locale.ROOT));
    return c;
  }

  /**
   * Answers 409 as Asterisk does when {@code id} is taken. Asterisk looks a requested unique id up
   * by prefix ({@code channelstorage} {@code get_by_uniqueid} compares {@code strlen(id)}
   * characters, case-insensitively), so an id that begins a live channel's id counts as in use:
   * with {@code X-phone} alive, {@code X} is refused, while {@code X-phone} after {@code X} is not.
   */
  void requireUnusedUniqueId(String id) {
    // The live ids, lower-cased and sorted: those beginning with id's letters follow it directly,
    // so the first one at or after it tells (a scan of every live channel under the lock stalled
    // the simulator from ~20,000 held calls on).
    String lower = id.toLowerCase(java.util.Locale.ROOT);
    String next = liveIds.ceiling(lower);
    if (next != null && next.startsWith(lower)) {
      throw AriError.of(409, "Channel with given unique ID already exists");
    }
  }

  // ---- events

  ObjectNode event(String type) {
    return AriJson.object().put("type", type).put("timestamp", AriJson.time(clock.now()));
  }

  void emitChannel(ObjectNode event, SimChannel c) {
    event.set("channel", AriJson.channel(c));
    hub.emit(event, List.of(c.id), null, false);
  }

  void emitSimple(String type, SimChannel c) {
    emitChannel(event(type), c);
  }

  void stateChange(SimChannel c, String state) {
    if (!state.equals(c.state)) {
      c.state = state;
      emitSimple("ChannelStateChange", c);
    }
  }

  void dial(SimChannel peer, String status, String dialString) {
    ObjectNode e = event("Dial").put("dialstatus", status).put("forward", "")
        .put("dialstring", dialString);
    e.set("peer", AriJson.channel(peer));
    hub.emit(e, List.of(peer.id), null, false);
  }

  void hangupRequest(SimChannel c, int cause, boolean soft) {
    ObjectNode e = AriJson.object().put("cause", cause);
    if (soft) {
      e.put("soft", true);
    }
    e.put("type", "ChannelHangupRequest").put("timestamp", AriJson.time(clock.now()));
    emitChannel(e, c);
  }

  void dtmfReceived(SimChannel c, char digit, int durationMs) {
    emitChannel(event("ChannelDtmfReceived").put("digit", String.valueOf(digit))
        .put("duration_ms", durationMs), c);
    media.onDtmf(c, digit);
  }

  // ---- Stasis

  /** Puts the channel into the app; false (STASISSTATUS=FAILED) when no socket serves the app. */
  boolean enterStasis(SimChannel c, String app, List<String> args, boolean fromDialplan) {
    if (!hub.registered(app)) {
      c.variables.put("STASISSTATUS", "FAILED");
      return false;
    }
    stasisStatus(c, "");
    c.stasisApp = app;
    c.stasisFromDialplan = fromDialplan;
    c.inDialplan = false;
    if (fromDialplan) {
      c.priority = Math.max(c.priority, 2);
      c.appName = "Stasis";
      c.appData = String.join(",", prepend(app, args));
    }
    ObjectNode e = event("StasisStart");
    ArrayNode a = e.putArray("args");
    args.forEach(a::add);
    e.set("channel", AriJson.channel(c));
    hub.emit(e, List.of(c.id), app, false);
    return true;
  }

  void leaveStasis(SimChannel c) {
    leaveStasis(c, c.stasisExitVarsets);
  }

  /**
   * Ends {@code c}'s Stasis with {@code varsets} {@code STASISSTATUS=SUCCESS} events after the
   * {@code StasisEnd}: usually one; none for a leg the application originated that continues into
   * the detection dialplan, two when it leaves again after coming back from there (recorded on
   * Asterisk 22, docs/amd-transcript.jsonl).
   */
  void leaveStasis(SimChannel c, int varsets) {
    if (!c.inStasis()) {
      return;
    }
    String app = c.stasisApp;
    ObjectNode e = event("StasisEnd");
    e.set("channel", AriJson.channel(c));
    hub.emit(e, List.of(c.id), app, false);
    c.stasisApp = null;
    c.variables.put("STASISSTATUS", "SUCCESS");
    for (int i = 0; i < varsets; i++) {
      stasisStatus(c, "SUCCESS");
    }
  }

  /**
   * Sets {@code STASISSTATUS} as Stasis does on entry and exit. The {@code ChannelVarset} reaches
   * only applications subscribed to the channel outside Stasis: those that originated or created
   * it (and subscribeAll sockets), not the application of a call that entered from dialplan.
   */
  private void stasisStatus(SimChannel c, String value) {
    c.variables.put("STASISSTATUS", value);
    emitChannel(event("ChannelVarset").put("variable", "STASISSTATUS").put("value", value), c);
  }

  /** A dialplan application starts on {@code c} ({@code ChannelDialplan}). */
  void dialplanApp(SimChannel c, String app, String data) {
    c.appName = app;
    c.appData = data;
    emitChannel(event("ChannelDialplan").put("dialplan_app", app).put("dialplan_app_data", data), c);
  }

  static List<String> prepend(String first, List<String> rest) {
    List<String> l = new ArrayList<>();
    l.add(first);
    l.addAll(rest);
    return l;
  }

  // ---- hangup

  /**
   * Hangs a channel up with the event sequence Asterisk produces, then its Local peer.
   *
   * @param x the channel
   * @param cause the Q.850 cause of the destroy events
   * @param start how the hangup began
   */
  void hangup(SimChannel x, int cause, HangupStart start) {
    if (x.destroyed) {
      return;
    }
    x.cancelTimers();
    if (start == HangupStart.ARI) {
      hangupRequest(x, 32, true);
    } else if (start == HangupStart.REMOTE) {
      hangupRequest(x, cause, false);
    }
    if (x.dialMode == SimChannel.DialMode.ORIGINATE && !x.dialFinished) {
      x.dialFinished = true;
      dial(x, "NOANSWER", x.dialString);
    }
    detach(x);
    // An originated leg back in Stasis from a dialplan (answering machine detection) ends with
    // no request of its own on Asterisk 22 (docs/amd-transcript.jsonl).
    if ((x.inDialplan || x.stasisFromDialplan) && !x.backFromDetection) {
      hangupRequest(x, 16, true);
    }
    SimChannel p = x.localPeer != null && !x.localPeer.destroyed ? x.localPeer : null;
    if (p != null) {
      p.cancelTimers();
      hangupRequest(p, cause, false);
    }
    destroy(x, cause);
    if (p != null) {
      detach(p);
      if (p.inDialplan || p.stasisFromDialplan) {
        hangupRequest(p, 16, true);
      }
      destroy(p, cause);
    }
  }

  /** Stops media, leaves the bridge and Stasis (in Asterisk's order). */
  void detach(SimChannel c) {
    media.channelGone(c);
    if (c.bridgeId != null) {
      bridging.leave(c);
    }
    leaveStasis(c);
  }

  void destroy(SimChannel c, int cause) {
    if (c.destroyed) {
      return;
    }
    c.cancelTimers();
    c.destroyed = true;
    emitChannel(event("ChannelDestroyed").put("cause", cause).put("cause_txt", Causes.text(cause)),
        c);
    channels.remove(c.id);
    liveIds.remove(c.id.toLowerCase(java.util.Locale.ROOT));
    hub.forget(c.id);
    if (c.media != null) {
      c.media.close();
      c.media = null;
    }
  }
}
