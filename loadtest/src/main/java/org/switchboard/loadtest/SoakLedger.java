package org.switchboard.loadtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The accounting of a soak run (pure, no I/O): which calls were placed, what the test application
 * received for each, when the application was down, and what the simulator still holds at the end
 * → calls started / completed / lost, callbacks expected / delivered / duplicated, orphans, and
 * whether the run passed. Used from one thread.
 *
 * <p>A call is <em>started</em> when Asterisk took it into the Stasis application (a call placed
 * while no event socket was connected is turned away by Asterisk itself and counted apart). A
 * started call is <em>lost</em> when its channel is still up at the end, when its final
 * ({@code completed}) status callback never arrived, when it was bridged to a volunteer and its
 * recording's {@code completed} callback never arrived, or when it missed a webhook of the
 * hotline script ({@code incoming, menu, hold, after}) or left the queue other than bridged —
 * except that a call alive while the application was down may end on the error path (no
 * further webhooks) as long as it ends with its final status callback. A caller who left the
 * queue unbridged (the wait page's {@code <Leave/>} after the queue timeout, or a queue error)
 * and then left a voicemail, with its voicemail recording's {@code completed} callback, is
 * <em>completed by voicemail</em>, as on the Llamenos hotline; without that callback it is lost.
 * Each callback beyond the first of the same (CallSid, CallStatus) or (RecordingSid,
 * RecordingStatus) is a duplicate.
 */
final class SoakLedger {
  /** The hotline script's pages every call runs when the application is up. */
  static final List<String> SCRIPT = List.of("incoming", "menu", "hold", "after");

  /** The Enqueue action's QueueResult values after which the test application offers voicemail. */
  static final Set<String> VOICEMAIL_RESULTS = Set.of("leave", "queue-full", "error", "system-error");

  /** What a call is doing, from the webhooks seen so far. */
  enum Phase { GATHER, WAITING, RINGING, BRIDGED, ENDING }

  private static final class Call {
    final String from;
    final String channel;
    final long placedMicros;
    String callSid;
    final Set<String> pages = new HashSet<>();
    boolean rung;
    boolean bridged;
    boolean leftBridged = true;
    /** The Enqueue action came with a result that sends the caller to voicemail. */
    boolean voicemail;
    boolean voicemailCallback;
    /** The menu Gather ended without a digit (the menu webhook came from its Redirect). */
    boolean menuTimedOut;
    boolean completedCallback;
    boolean recordingCallback;
    long endedMicros = Long.MAX_VALUE;

    Call(String from, String channel, long placedMicros) {
      this.from = from;
      this.channel = channel;
      this.placedMicros = placedMicros;
    }
  }

  /** Lost calls printed as examples: at most this many, and this many per reason. */
  private static final int MAX_EXAMPLES = 12;
  private static final int EXAMPLES_PER_REASON = 3;

  private final Map<String, Call> byFrom = new LinkedHashMap<>();
  private final Map<String, Call> bySid = new HashMap<>();
  private final Map<String, Call> byLegSid = new HashMap<>();
  private final Map<String, Integer> callbackCopies = new HashMap<>();
  private final List<long[]> outages = new ArrayList<>();
  private long downSince = -1;
  private int turnedAway;
  private long unmatched;

  /**
   * A call from {@code from} was placed on the simulator's {@code channel}; {@code admitted} false
   * when Asterisk turned it away.
   */
  void placed(String from, String channel, long atMicros, boolean admitted) {
    if (admitted) {
      byFrom.put(from, new Call(from, channel, atMicros));
    } else {
      turnedAway++;
    }
  }

  /** The application stopped listening at {@code atMicros}. */
  void appDown(long atMicros) {
    downSince = atMicros;
  }

  /** The application listens again. */
  void appUp(long atMicros) {
    if (downSince >= 0) {
      outages.add(new long[] {downSince, atMicros});
      downSince = -1;
    }
  }

  /** Volunteers were rung for the caller with this CallSid. */
  void rung(String callSid) {
    Call c = bySid.get(callSid);
    if (c != null) {
      c.rung = true;
    }
  }

  /** A request reached the test application. */
  void webhook(TestApp.Webhook w) {
    String page = w.page();
    Map<String, String> p = w.params();
    Call call = switch (page) {
      case "incoming" -> {
        Call c = byFrom.get(p.getOrDefault("From", ""));
        if (c != null && c.callSid == null) {
          c.callSid = w.callSid();
          bySid.put(c.callSid, c);
        }
        yield c;
      }
      case "volunteer" -> {
        Call c = bySid.get(p.getOrDefault("ParentCallSid", ""));
        if (c != null) {
          c.bridged = true;
          byLegSid.put(w.callSid(), c);
        }
        yield c;
      }
      case "recording" -> byLegSid.get(w.callSid());
      case "status" -> {
        Call c = bySid.get(w.callSid());
        Call first = byFrom.get(p.getOrDefault("From", ""));
        if (c == null && first != null && first.callSid == null) {
          // A call whose first webhook failed (the app was down): known by its number.
          first.callSid = w.callSid();
          bySid.put(first.callSid, first);
          c = first;
        }
        yield c;
      }
      default -> bySid.get(w.callSid());
    };
    if (call == null) {
      if (!page.equals("status")) {
        unmatched++;
      }
      return;
    }
    call.pages.add(page);
    switch (page) {
      case "menu" -> call.menuTimedOut |= "1".equals(p.get("auto"));
      case "after" -> {
        String result = p.getOrDefault("QueueResult", "");
        call.leftBridged &= "bridged".equals(result);
        call.voicemail |= VOICEMAIL_RESULTS.contains(result);
      }
      case "voicemail-recording" -> {
        String status = p.getOrDefault("RecordingStatus", "");
        countCopy("recording " + p.getOrDefault("RecordingSid", "") + " " + status);
        call.voicemailCallback |= status.equals("completed");
      }
      case "status" -> {
        String status = p.getOrDefault("CallStatus", "");
        countCopy("status " + w.callSid() + " " + status);
        if (status.equals("completed")) {
          call.completedCallback = true;
          call.endedMicros = Math.min(call.endedMicros, w.arrivedMicros());
        }
      }
      case "recording" -> {
        String status = p.getOrDefault("RecordingStatus", "");
        countCopy("recording " + p.getOrDefault("RecordingSid", "") + " " + status);
        call.recordingCallback |= status.equals("completed");
      }
      default -> {}
    }
  }

  private void countCopy(String key) {
    callbackCopies.merge(key, 1, Integer::sum);
  }

  /** How many started, unfinished calls are in each phase now. */
  Map<Phase, Integer> phases() {
    Map<Phase, Integer> out = new java.util.EnumMap<>(Phase.class);
    for (Call c : byFrom.values()) {
      if (c.completedCallback || c.callSid == null && c.pages.isEmpty()) {
        continue;
      }
      Phase phase = c.pages.contains("after") ? Phase.ENDING
          : c.bridged ? Phase.BRIDGED
          : c.rung ? Phase.RINGING
          : c.pages.contains("hold") ? Phase.WAITING
          : Phase.GATHER;
      out.merge(phase, 1, Integer::sum);
    }
    return out;
  }

  /** Whether every started call has what it needs to count as settled (to end the drain early). */
  boolean allSettled(Set<String> liveChannels) {
    for (Call c : byFrom.values()) {
      if (!c.completedCallback || c.bridged && !c.voicemail && !c.recordingCallback
          || c.voicemail && !c.voicemailCallback || liveChannels.contains(c.channel)) {
        return false;
      }
    }
    return true;
  }

  private boolean duringOutage(Call c) {
    List<long[]> all = new ArrayList<>(outages);
    if (downSince >= 0) {
      all.add(new long[] {downSince, Long.MAX_VALUE});
    }
    for (long[] o : all) {
      if (c.placedMicros < o[1] && c.endedMicros > o[0]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The verdict.
   *
   * @param liveChannels the channels still up on the simulator
   * @param orphanChannels channels the simulator still holds
   * @param orphanBridges bridges the simulator still holds
   */
  Report report(Set<String> liveChannels, int orphanChannels, int orphanBridges) {
    int started = byFrom.size();
    int completed = 0;
    int byVoicemail = 0;
    int errorPath = 0;
    int menuTimeouts = 0;
    long expected = 0;
    long delivered = 0;
    Map<String, Integer> reasons = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    Map<String, Integer> examplesOf = new HashMap<>();
    for (Call c : byFrom.values()) {
      List<String> why = new ArrayList<>();
      menuTimeouts += c.menuTimedOut ? 1 : 0;
      expected++;
      if (c.completedCallback) {
        delivered++;
      } else {
        why.add("no final status callback");
      }
      if (c.bridged && !c.voicemail) {
        expected++;
        if (c.recordingCallback) {
          delivered++;
        } else {
          why.add("no recording callback");
        }
      }
      if (c.voicemail) {
        expected++;
        if (c.voicemailCallback) {
          delivered++;
        } else {
          why.add("no voicemail recording callback");
        }
      }
      if (liveChannels.contains(c.channel)) {
        why.add("channel left up");
      }
      boolean voicemailDone = c.pages.containsAll(SCRIPT) && c.voicemail && c.voicemailCallback;
      boolean scriptDone = c.pages.containsAll(SCRIPT) && c.leftBridged || voicemailDone;
      if (!scriptDone && !duringOutage(c)) {
        for (String page : SCRIPT) {
          if (!c.pages.contains(page)) {
            why.add("no " + page + " webhook");
            break;
          }
        }
        if (c.pages.containsAll(SCRIPT) && !c.voicemail) {
          why.add("left the queue unbridged");
        }
      }
      if (!why.isEmpty()) {
        why.forEach(r -> reasons.merge(r, 1, Integer::sum));
        if (examples.size() < MAX_EXAMPLES && why.stream()
            .anyMatch(r -> examplesOf.getOrDefault(r, 0) < EXAMPLES_PER_REASON)) {
          why.forEach(r -> examplesOf.merge(r, 1, Integer::sum));
          examples.add((c.callSid == null ? c.from : c.callSid) + ": " + String.join(", ", why)
              + " (pages " + new java.util.TreeSet<>(c.pages) + ")");
        }
      } else if (voicemailDone && !c.leftBridged) {
        byVoicemail++;
      } else if (scriptDone) {
        completed++;
      } else {
        errorPath++;
      }
    }
    long duplicated = 0;
    for (int copies : callbackCopies.values()) {
      duplicated += copies - 1;
    }
    return new Report(started + turnedAway, turnedAway, started, completed, byVoicemail,
        errorPath, started - completed - byVoicemail - errorPath, menuTimeouts, expected, delivered, duplicated, orphanChannels,
        orphanBridges, reasons, examples, unmatched);
  }

  /** What a soak run measured. */
  record Report(
      int placed,
      int turnedAway,
      int started,
      int completed,
      int completedByVoicemail,
      int endedOnErrorPath,
      int lost,
      int menuTimeouts,
      long callbacksExpected,
      long callbacksDelivered,
      long callbacksDuplicated,
      int orphanChannels,
      int orphanBridges,
      Map<String, Integer> lostReasons,
      List<String> lostExamples,
      long unmatchedWebhooks) {

    /** 0 lost, 0 orphans, duplicates at most 1 % of the expected callbacks. */
    boolean passed() {
      return lost == 0 && orphanChannels == 0 && orphanBridges == 0
          && callbacksDuplicated * 100 <= callbacksExpected;
    }

    /** The report as printed, one item per line. */
    String text() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "calls placed %d, turned away by Asterisk (no app socket)"
          + " %d%n", placed, turnedAway));
      b.append(String.format(Locale.ROOT, "calls started %d / completed %d (bridged %d, by voicemail"
          + " after leaving the queue unbridged %d) / ended on the error path while the app was"
          + " down %d / lost %d%n", started, completed + completedByVoicemail, completed,
          completedByVoicemail, endedOnErrorPath, lost));
      b.append(String.format(Locale.ROOT, "menu Gathers that timed out without a digit (the"
          + " caller's presses all lost in ARI gaps; the menu's Redirect went on): %d%n",
          menuTimeouts));
      lostReasons.forEach((r, n) -> b.append("  lost: ").append(r).append(": ").append(n)
          .append(System.lineSeparator()));
      lostExamples.forEach(e -> b.append("  e.g. ").append(e).append(System.lineSeparator()));
      b.append(String.format(Locale.ROOT, "callbacks expected %d / delivered %d / duplicated %d"
          + " (%.2f %%)%n", callbacksExpected, callbacksDelivered, callbacksDuplicated,
          callbacksExpected == 0 ? 0.0 : 100.0 * callbacksDuplicated / callbacksExpected));
      b.append(String.format(Locale.ROOT, "orphans on the simulator: %d channels, %d bridges%n",
          orphanChannels, orphanBridges));
      b.append(passed() ? "soak: PASS" : "soak: FAIL (needs 0 lost, 0 orphans, duplicates <= 1 %)");
      return b.toString();
    }
  }
}
