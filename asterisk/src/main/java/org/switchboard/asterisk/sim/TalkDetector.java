package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code TALK_DETECT} as Asterisk's {@code func_talkdetect} does it: while set on a channel, the
 * audio the channel reads (its caller's voice) is checked in {@value #SLICE_MS} ms slices against
 * the energy threshold (average absolute 16-bit sample, Asterisk's default 256);
 * {@code ChannelTalkingStarted} on the first loud slice, {@code ChannelTalkingFinished} once the
 * silence lasted {@code dsp_silence_threshold} ms (default 2500), with {@code duration} = the time
 * since talking started minus that silence. {@code TALK_DETECT(set)=silence[,threshold]} (a
 * second set changes the thresholds), {@code TALK_DETECT(remove)} stops it, without an event for
 * a talk in progress. Setting a dialplan function publishes no {@code ChannelVarset}. Callers
 * hold the core's lock.
 */
final class TalkDetector {
  static final int SLICE_MS = 20;
  static final int DEFAULT_SILENCE_MS = 2500;
  static final int DEFAULT_THRESHOLD = 256;

  private final SimCore core;
  private final Media media;

  TalkDetector(SimCore core, Media media) {
    this.core = core;
    this.media = media;
  }

  /** Per-channel state of a detector that is set. */
  static final class State {
    int silenceMs = DEFAULT_SILENCE_MS;
    int threshold = DEFAULT_THRESHOLD;
    boolean talking;
    Instant talkStart;
    int silentMs;
    SimClock.Timer ticker;
  }

  /** {@code POST /channels/{id}/variable} for {@code TALK_DETECT(set|remove)}. */
  void write(SimChannel c, String name, String value) {
    String action = name.substring(name.indexOf('(') + 1, name.indexOf(')')).strip();
    if (action.equalsIgnoreCase("remove")) {
      remove(c);
      return;
    }
    if (!action.equalsIgnoreCase("set")) {
      throw AriError.of(400, "Failed to execute function " + name);
    }
    String[] f = value == null ? new String[0] : value.split(",");
    int silence = parse(f, 0, DEFAULT_SILENCE_MS, name);
    int threshold = parse(f, 1, DEFAULT_THRESHOLD, name);
    State s = c.talkDetect;
    if (s == null) {
      s = new State();
      c.talkDetect = s;
      schedule(c, s);
    }
    s.silenceMs = silence;
    s.threshold = threshold;
  }

  private static int parse(String[] f, int i, int fallback, String name) {
    if (f.length <= i || f[i].isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(f[i].strip());
      if (v < 1) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw AriError.of(400, "Failed to execute function " + name);
    }
  }

  void remove(SimChannel c) {
    State s = c.talkDetect;
    if (s != null && s.ticker != null) {
      s.ticker.cancel();
    }
    c.talkDetect = null;
  }

  private void schedule(SimChannel c, State s) {
    s.ticker = core.clock.schedule(Duration.ofMillis(SLICE_MS), () -> core.locked(() -> tick(c, s)));
  }

  private void tick(SimChannel c, State s) {
    if (c.talkDetect != s || c.destroyed) {
      return;
    }
    Instant now = core.clock.now();
    boolean loud = media.loudness(c, now.minusMillis(SLICE_MS), SLICE_MS) > s.threshold;
    if (loud) {
      s.silentMs = 0;
      if (!s.talking) {
        s.talking = true;
        s.talkStart = now;
        core.emitSimple("ChannelTalkingStarted", c);
      }
    } else if (s.talking) {
      s.silentMs += SLICE_MS;
      if (s.silentMs >= s.silenceMs) {
        s.talking = false;
        long ms = Duration.between(s.talkStart, now).toMillis() - s.silenceMs;
        ObjectNode e = core.event("ChannelTalkingFinished");
        e.put("duration", Math.max(0, ms));
        core.emitChannel(e, c);
      }
    }
    schedule(c, s);
  }
}
