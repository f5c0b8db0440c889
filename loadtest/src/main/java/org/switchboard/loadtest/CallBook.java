package org.switchboard.loadtest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls of one run: matches webhooks and simulator log entries to calls, plays the callers'
 * part (digits, speech, hanging up) when Switchboard's ARI requests show it is their turn, and
 * measures the latencies when a call is finished. Used from the driver thread only.
 */
final class CallBook {
  private static final Pattern LEG_ID = Pattern.compile("sb-[0-9a-fA-F]{8,}");
  private static final Pattern SIM_CALL = Pattern.compile("sim-call-\\d+|lt-\\d+");

  /** Receives every latency sample as it is taken (for {@code --samples}). */
  interface SampleSink {
    SampleSink NONE = (kind, atMicros, micros, callSid, page) -> {};

    /**
     * One sample.
     *
     * @param kind {@code eventToWebhook} or {@code twimlToCommand}
     * @param atMicros when the measured interval began, µs since the epoch
     * @param micros the latency
     */
    void sample(String kind, long atMicros, long micros, String callSid, String page);
  }

  /** Delayed caller actions, run by the driver. */
  interface Scheduler {
    void after(long millis, Runnable action);
  }

  private final Profile profile;
  private final SimControl sim;
  private final Scheduler scheduler;
  private final Consumer<LoadCall> onQueued;
  private final Map<String, LoadCall> byFrom = new HashMap<>();
  private final Map<String, LoadCall> byChannel = new HashMap<>();
  private final Map<String, LoadCall> bySid = new HashMap<>();
  final Percentiles eventToWebhook = new Percentiles();
  final Percentiles twimlToCommand = new Percentiles();
  long lostEvents;
  final Map<String, Integer> missing = new java.util.TreeMap<>();
  long webhooksSeen;
  long unmatchedWebhooks;
  int ended;
  int completed;
  int waiting;
  SampleSink samples = SampleSink.NONE;

  /**
   * The book of one run.
   *
   * @param onQueued told once per hotline caller when its wait loop starts (to ring volunteers)
   */
  CallBook(Profile profile, SimControl sim, Scheduler scheduler, Consumer<LoadCall> onQueued) {
    this.profile = profile;
    this.sim = sim;
    this.scheduler = scheduler;
    this.onQueued = onQueued;
  }

  /** The pages every call of the profile must request. */
  static Set<String> expectedPages(Profile profile) {
    return switch (profile) {
      case SIMPLE -> Set.of("incoming", "status");
      case IVR -> Set.of("incoming", "menu", "recorded", "status");
      case MENU -> Set.of("incoming", "menu", "status");
      case QUEUE -> Set.of("incoming", "wait", "status");
      case HOTLINE -> Set.of("incoming", "menu", "hold", "after", "status");
    };
  }

  /** Registers a call about to be placed. */
  void placed(LoadCall call) {
    byFrom.put(call.from, call);
  }

  /** A request reached the test application. */
  void onWebhook(TestApp.Webhook w) {
    webhooksSeen++;
    LoadCall call = bySid.get(w.callSid());
    if (call == null && w.page().equals("incoming")) {
      call = byFrom.get(w.params().getOrDefault("From", ""));
      if (call != null && call.callSid == null) {
        call.callSid = w.callSid();
        bySid.put(call.callSid, call);
      }
    }
    if (call == null) {
      if (!w.page().equals("volunteer") && !w.page().equals("status")
          && !w.page().equals("after")) {
        unmatchedWebhooks++;
      }
      return;
    }
    call.webhooks.add(w);
    call.pages.add(w.page());
    switch (w.page()) {
      case "menu" -> call.deviated |= !"1".equals(w.params().get("Digits"));
      case "wait" -> waiting++;
      case "hold" -> {
        if (!call.rang) {
          call.rang = true;
          onQueued.accept(call);
        }
      }
      case "after" ->
          call.deviated |= profile == Profile.HOTLINE
              && !"bridged".equals(w.params().get("QueueResult"));
      default -> {}
    }
    maybeFinish(call);
  }

  /** A simulator log entry. */
  void onEntry(SimEntry entry) {
    if (entry instanceof SimEntry.Event e) {
      onEvent(e);
    } else if (entry instanceof SimEntry.Request r) {
      onRequest(r);
    }
  }

  private void onEvent(SimEntry.Event e) {
    LoadCall call = byChannel.get(e.channelId());
    if (call == null) {
      if (!"StasisStart".equals(e.type()) || e.callerNumber().isEmpty()) {
        return;
      }
      call = byFrom.get(e.callerNumber());
      if (call == null || call.channel != null) {
        return;
      }
      call.channel = e.channelId();
      byChannel.put(call.channel, call);
    }
    switch (e.type()) {
      case "StasisStart" -> call.stasisStarts.add(e.atMicros());
      case "ChannelDtmfReceived" -> call.digits.add(e.atMicros());
      case "RecordingFinished" -> call.recordingsFinished.add(e.atMicros());
      case "StasisEnd", "ChannelDestroyed" -> {
        if (!call.ended) {
          call.ended = true;
          ended++;
          if (profile == Profile.QUEUE && call.pages.contains("wait")) {
            waiting--;
          }
          maybeFinish(call);
        }
      }
      default -> {}
    }
  }

  private void onRequest(SimEntry.Request r) {
    String channel = r.channelInPath();
    LoadCall call = channel == null ? null : byChannel.get(channel);
    if (call != null) {
      call.requests.add(r.atMicros());
      react(call, r);
    } else if (r.verb().equals("addChannel") && profile == Profile.HOTLINE) {
      onBridged(r);
    }
  }

  private void react(LoadCall call, SimEntry.Request r) {
    String verb = r.verb();
    if ((profile == Profile.IVR || profile == Profile.MENU || profile == Profile.HOTLINE)
        && verb.equals("play") && !call.pressedMenu && call.pages.contains("incoming")) {
      call.pressedMenu = true;
      sim.pressDtmf(call.channel, "1");
    } else if (profile == Profile.IVR && verb.equals("record") && !call.recording) {
      call.recording = true;
      sim.speak(call.channel, 600);
      scheduler.after(800, () -> sim.pressDtmf(call.channel, "#"));
    }
  }

  /**
   * How long a hotline volunteer stays bridged with the caller before hanging up: 300 ms, or
   * {@code -Dloadtest.bridged-ms} (long, to probe the heap of calls held bridged).
   */
  static final long BRIDGED_MILLIS = Long.getLong("loadtest.bridged-ms", 300);

  private void onBridged(SimEntry.Request r) {
    Matcher m = SIM_CALL.matcher(r.params());
    while (m.find()) {
      LoadCall call = byChannel.get(m.group());
      if (call != null && !call.bridged) {
        call.bridged = true;
        Matcher leg = LEG_ID.matcher(r.params());
        String hangUp = leg.find() ? leg.group() : call.channel;
        call.hangupTarget = hangUp;
        scheduler.after(BRIDGED_MILLIS, () -> sim.hangup(hangUp));
      }
    }
  }

  /** Asks the caller to hang up (queue profile). */
  void hangUp(LoadCall call) {
    if (!call.hangupRequested && call.channel != null && !call.ended) {
      call.hangupRequested = true;
      sim.hangup(call.channel);
    }
  }

  private void maybeFinish(LoadCall call) {
    if (!call.finalized && call.ended && call.pages.containsAll(expectedPages(profile))) {
      finish(call);
    }
  }

  /** How many unfinished calls {@link #finishAll} describes ({@code -Dloadtest.describe-unfinished}). */
  private static final int DESCRIBED_UNFINISHED = Integer.getInteger("loadtest.describe-unfinished", 5);

  /** Measures and releases every call not finished yet (end of the run). */
  void finishAll(List<LoadCall> calls) {
    int described = 0;
    for (LoadCall c : calls) {
      if (!c.finalized) {
        if (described++ < DESCRIBED_UNFINISHED) {
          System.err.printf("loadtest: unfinished call %s from %s on %s: pages %s, ended %s,"
                  + " bridged %s (hung up %s), hangup requested %s%n", c.callSid, c.from, c.channel,
              new java.util.TreeSet<>(c.pages), c.ended, c.bridged, c.hangupTarget,
              c.hangupRequested);
        }
        finish(c);
      }
    }
  }

  private void finish(LoadCall call) {
    call.finalized = true;
    Set<String> expected = expectedPages(profile);
    for (String page : expected) {
      if (!call.pages.contains(page)) {
        lostEvents++;
        missing.merge(page + " webhook", 1, Integer::sum);
      }
    }
    for (TestApp.Webhook w : call.webhooks) {
      LongSeries triggers = call.triggersOf(w.page());
      if (triggers != null) {
        long t = triggers.latestAtOrBefore(w.arrivedMicros());
        if (t >= 0) {
          eventToWebhook.add(w.arrivedMicros() - t);
          samples.sample("eventToWebhook", t, w.arrivedMicros() - t, w.callSid(), w.page());
        }
      }
      if (w.expectsCommand()) {
        long t = call.requests.firstAtOrAfter(w.respondedMicros());
        if (t >= 0) {
          twimlToCommand.add(t - w.respondedMicros());
          samples.sample("twimlToCommand", w.respondedMicros(), t - w.respondedMicros(),
              w.callSid(), w.page());
        } else {
          lostEvents++;
          missing.merge("command after " + w.page(), 1, Integer::sum);
        }
      }
    }
    if (call.ended && !call.deviated && call.pages.containsAll(expected)) {
      completed++;
    } else if (!call.ended) {
      missing.merge("end of call", 1, Integer::sum);
    } else if (call.deviated) {
      missing.merge("script deviated", 1, Integer::sum);
    }
    byFrom.remove(call.from);
    if (call.channel != null) {
      byChannel.remove(call.channel);
    }
    if (call.callSid != null) {
      bySid.remove(call.callSid);
    }
    call.webhooks.clear();
  }
}
