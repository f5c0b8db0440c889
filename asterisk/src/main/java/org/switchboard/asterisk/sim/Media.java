package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Playbacks, DTMF and who is heard: a channel hears audio while its caller {@code speak}s, while its
 * Local peer plays something or loops prompts ({@code talk}). Recordings live in {@link
 * Recorder}. Callers hold the core's lock.
 */
final class Media {
  private static final Duration SKIP = Duration.ofSeconds(3);
  private final SimCore core;
  final SoundLibrary sounds;
  final Recorder recorder;
  final TalkDetector talk;
  private final Map<String, Deque<SimPlayback>> queues = new HashMap<>();

  Media(SimCore core) {
    this.core = core;
    this.sounds = new SoundLibrary(core.config);
    this.recorder = new Recorder(core, this);
    this.talk = new TalkDetector(core, this);
  }

  // ---- audio presence

  boolean hearsAudio(SimChannel c) {
    if (c.speakingUntil.isAfter(core.clock.now())) {
      return true;
    }
    if (c.snoopOf != null) {
      SimChannel spied = core.channels.get(c.snoopOf);
      return spied != null && hearsAudio(spied);
    }
    SimChannel p = c.localPeer;
    return p != null && !p.destroyed && (p.talkLoop || playing(p.id));
  }

  /**
   * The caller's spoken samples {@code c} reads in {@code [from, from + ms)} at {@code rate}
   * (8000 or 16000), or null when no spoken audio covers that time.
   */
  short[] spoken(SimChannel c, Instant from, int ms, int rate) {
    SimChannel source = c.snoopOf != null ? core.channels.get(c.snoopOf) : c;
    if (source == null || source.speech == null) {
      return null;
    }
    long offset = Duration.between(source.speechStart, from).toMillis();
    if (offset + ms <= 0 || offset >= source.speech.length / 16) {
      return null;
    }
    int step = 16000 / rate;
    short[] out = new short[rate * ms / 1000];
    for (int i = 0; i < out.length; i++) {
      long at = (offset * 16) + (long) i * step;
      int sum = 0;
      for (int k = 0; k < step; k++) {
        long j = at + k;
        sum += j >= 0 && j < source.speech.length ? source.speech[(int) j] : 0;
      }
      out[i] = (short) (sum / step);
    }
    return out;
  }

  /**
   * The average absolute sample of what {@code c} reads in {@code [from, from + ms)}: the spoken
   * audio, else 1000 while its caller {@code speak}s for a duration or its Local peer plays, else 0.
   */
  double loudness(SimChannel c, Instant from, int ms) {
    short[] samples = spoken(c, from, ms, 8000);
    if (samples != null) {
      long sum = 0;
      for (short v : samples) {
        sum += Math.abs(v);
      }
      return samples.length == 0 ? 0 : (double) sum / samples.length;
    }
    return hearsAudio(c) ? 1000 : 0;
  }

  boolean bridgeHasAudio(SimBridge b, String except) {
    if (playing(b.id)) {
      return true;
    }
    for (String id : b.channels) {
      SimChannel m = core.channels.get(id);
      if (m != null && !id.equals(except) && hearsAudio(m)) {
        return true;
      }
    }
    return false;
  }

  private boolean playing(String targetId) {
    Deque<SimPlayback> q = queues.get(targetId);
    return q != null && !q.isEmpty() && "playing".equals(q.peekFirst().state);
  }

  // ---- playback

  SimPlayback play(String targetUri, List<String> mediaUris, String playbackId) {
    if (mediaUris.isEmpty()) {
      throw AriError.of(500, "Failed to queue media for playback");
    }
    String id = playbackId != null ? playbackId : java.util.UUID.randomUUID().toString();
    if (core.playbacks.containsKey(id)) {
      throw AriError.of(409, "Playback with the same id already exists");
    }
    SimPlayback p = new SimPlayback(id, List.copyOf(mediaUris), targetUri, "en");
    core.playbacks.put(id, p);
    ObjectNode queuedView = AriJson.playback(p);
    Deque<SimPlayback> q = queues.computeIfAbsent(p.targetId(), k -> new ArrayDeque<>());
    q.addLast(p);
    if (q.size() == 1) {
      startItem(p);
    }
    p.queuedView = queuedView;
    return p;
  }

  private void startItem(SimPlayback p) {
    p.state = "playing";
    emit("PlaybackStarted", p);
    SoundLibrary.Outcome o = sounds.resolve(p.currentMedia());
    if (o.missing()) {
      p.state = "failed";
      emit("PlaybackFinished", p);
      remove(p);
    } else if (o.duration() == null) {
      remove(p);
    } else {
      p.remaining = o.duration();
      schedule(p);
    }
  }

  private void schedule(SimPlayback p) {
    p.itemStarted = core.clock.now();
    SimClock.Timer t = core.clock.schedule(p.remaining, () -> core.locked(() -> itemDone(p)));
    p.timer = t;
  }

  private void itemDone(SimPlayback p) {
    if (!"playing".equals(p.state) || !core.playbacks.containsKey(p.id)) {
      return;
    }
    if (p.nextMedia() != null) {
      p.state = "continuing";
      emit("PlaybackContinuing", p);
      p.index++;
      startItem(p);
      return;
    }
    p.state = "done";
    emit("PlaybackFinished", p);
    remove(p);
  }

  /** DELETE /playbacks/{id}: finished with state done, as Asterisk reports it. */
  void stop(SimPlayback p) {
    if (p.timer != null) {
      p.timer.cancel();
    }
    boolean started = !"queued".equals(p.state);
    p.state = started ? "done" : "canceled";
    if (started) {
      emit("PlaybackFinished", p);
    }
    remove(p);
  }

  void control(SimPlayback p, String operation) {
    if (operation == null) {
      throw AriError.of(400, "Missing parameter operation");
    }
    if ("queued".equals(p.state)) {
      throw AriError.of(409, "Playback not started");
    }
    Duration elapsed = Duration.between(p.itemStarted, core.clock.now());
    switch (operation) {
      case "pause" -> {
        if ("playing".equals(p.state)) {
          p.timer.cancel();
          p.remaining = positive(p.remaining.minus(elapsed));
          p.state = "paused";
        }
      }
      case "unpause" -> {
        if ("paused".equals(p.state)) {
          p.state = "playing";
          emit("PlaybackStarted", p);
          schedule(p);
        }
      }
      case "restart", "forward", "reverse" -> {
        Duration full = sounds.resolve(p.currentMedia()).duration();
        Duration left = "paused".equals(p.state) ? p.remaining
            : positive(p.remaining.minus(elapsed));
        left = switch (operation) {
          case "restart" -> full;
          case "forward" -> positive(left.minus(SKIP));
          default -> left.plus(SKIP).compareTo(full) > 0 ? full : left.plus(SKIP);
        };
        p.remaining = left;
        if ("playing".equals(p.state)) {
          p.timer.cancel();
          schedule(p);
        }
      }
      default -> throw AriError.of(400, "Invalid operation " + operation);
    }
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private void remove(SimPlayback p) {
    core.playbacks.remove(p.id);
    Deque<SimPlayback> q = queues.get(p.targetId());
    if (q == null) {
      return;
    }
    boolean wasHead = q.peekFirst() == p;
    q.remove(p);
    if (q.isEmpty()) {
      queues.remove(p.targetId());
    } else if (wasHead) {
      startItem(q.peekFirst());
    }
  }

  private void emit(String type, SimPlayback p) {
    ObjectNode e = core.event(type);
    e.set("playback", AriJson.playback(p));
    core.hub.emit(e, List.of(p.targetId()), null, p.targetsBridge());
  }

  /** Stops everything playing to or recording a target that is going away. */
  void targetGone(String targetId) {
    Deque<SimPlayback> q = queues.remove(targetId);
    if (q != null) {
      for (SimPlayback p : new ArrayList<>(q)) {
        if (p.timer != null) {
          p.timer.cancel();
        }
        if (!"queued".equals(p.state)) {
          p.state = "done";
          emit("PlaybackFinished", p);
        }
        core.playbacks.remove(p.id);
      }
    }
    recorder.targetGone(targetId);
  }

  void channelGone(SimChannel c) {
    targetGone(c.id);
    if (c.media != null) {
      c.media.stopSending();
    }
  }

  // ---- DTMF

  /** Sends digits "from" channel {@code from}: its Local peer (or itself) receives them. */
  void sendDtmf(SimChannel from, String digits, int beforeMs, int betweenMs, int durationMs) {
    SimChannel to = from.localPeer != null ? from.localPeer : from;
    receiveDtmf(to, digits, beforeMs, betweenMs, durationMs);
  }

  /** The caller of {@code to} presses digits: one ChannelDtmfReceived per digit. */
  void receiveDtmf(SimChannel to, String digits, int beforeMs, int betweenMs, int durationMs) {
    for (int i = 0; i < digits.length(); i++) {
      char d = digits.charAt(i);
      long at = beforeMs + (long) i * (durationMs + betweenMs) + durationMs + 100;
      core.later(to, Duration.ofMillis(at), () -> core.dtmfReceived(to, d, durationMs));
    }
  }

  void onDtmf(SimChannel c, char digit) {
    recorder.onDtmf(c, digit);
  }
}
