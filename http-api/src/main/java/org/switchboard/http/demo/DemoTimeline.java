package org.switchboard.http.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.switchboard.asterisk.sim.SimLog;

/**
 * Builds each demo call's timeline from what the two ends saw: the webhooks the sample
 * application received (by CallSid, and ParentCallSid for volunteer legs) and the ARI commands
 * the simulator received (by channel id). Printed when the demo calls are over.
 */
public final class DemoTimeline {

  /** One demo call: its CallSid and the simulator channel it lives on. */
  public record DemoCall(String callSid, String channelId, String from, String to) {}

  /**
   * Whether a demo call really ran, from what the sample application received: Switchboard
   * fetched its first TwiML ({@code /demo/incoming}, so the call's start reached the engine) and
   * reported it {@code completed} ({@code /demo/call-status}). A channel that merely disappeared
   * from the simulator proves neither.
   */
  public record Verdict(boolean started, boolean completed) {
    /** Started and completed. */
    public boolean ok() {
      return started && completed;
    }

    /** One phrase for the timeline. */
    public String describe() {
      if (ok()) {
        return "started and completed";
      }
      return started
          ? "NOT completed (no completed status callback)"
          : "NOT started (Switchboard never fetched its TwiML)"
              + (completed ? ", yet reported completed" : "");
    }
  }

  private record Line(Instant at, String text) {}

  private static final Set<String> SHOWN_PARAMS =
      Set.of(
          "CallStatus", "Digits", "QueueResult", "QueueTime", "QueuePosition", "DialCallStatus",
          "RecordingUrl", "RecordingDuration", "RecordingStatus", "Direction");

  private final ConcurrentLinkedQueue<DemoHotlineApp.Received> webhooks =
      new ConcurrentLinkedQueue<>();

  private final Map<String, Set<String>> legChannels = new java.util.concurrent.ConcurrentHashMap<>();

  /** Records a leg rung for {@code callSid} on the simulator channel {@code channelId}. */
  public void leg(String callSid, String channelId) {
    legChannels.computeIfAbsent(callSid, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(channelId);
  }

  /** Records one webhook (wire this to the sample application). */
  public void webhook(DemoHotlineApp.Received received) {
    webhooks.add(received);
  }

  /** Every webhook received so far. */
  public List<DemoHotlineApp.Received> webhooks() {
    return List.copyOf(webhooks);
  }

  /** The readable timeline of {@code call}, its volunteer legs included. */
  public String render(DemoCall call, List<SimLog.Request> ariRequests) {
    Set<String> legSids = new TreeSet<>();
    Set<String> channels = new TreeSet<>(Set.of(call.channelId()));
    Set<String> legs = legChannels.getOrDefault(call.callSid(), Set.of());
    channels.addAll(legs);
    List<Line> lines = new ArrayList<>();
    for (DemoHotlineApp.Received w : webhooks) {
      String sid = w.params().getOrDefault("CallSid", "");
      String parent = w.params().getOrDefault("ParentCallSid", "");
      boolean leg = parent.equals(call.callSid());
      if (sid.equals(call.callSid()) || leg) {
        if (leg) {
          legSids.add(sid);
        }
        lines.add(new Line(w.at(), (leg ? "  leg " + shortSid(sid) + " " : "") + describe(w)));
      }
    }
    for (SimLog.Request r : ariRequests) {
      boolean legCommand = legs.stream().anyMatch(c -> r.path().contains(c) || r.query().contains(c));
      if (legCommand || channels.stream().anyMatch(c -> r.path().contains(c)) || mentions(r, call.callSid())) {
        lines.add(new Line(r.at(), (legCommand ? "  leg " : "") + "ARI " + r.method() + " " + r.path().replaceFirst("^/ari", "")
            + (r.query().isEmpty() ? "" : "?" + abbreviate(r.query())) + " -> " + r.status()));
      }
    }
    lines.sort(Comparator.comparing(Line::at));
    StringBuilder out = new StringBuilder();
    out.append("Call ").append(call.callSid()).append("  ").append(call.from()).append(" -> ")
        .append(call.to()).append("  (channel ").append(call.channelId()).append(", ")
        .append(Math.max(legSids.size(), legs.size())).append(" volunteer legs)\n");
    Instant start = lines.isEmpty() ? Instant.EPOCH : lines.get(0).at();
    for (Line l : lines) {
      Duration d = Duration.between(start, l.at());
      out.append(String.format("  %+8.3fs  %s%n", d.toMillis() / 1000.0, l.text()));
    }
    out.append("  outcome: ").append(outcome(call)).append('\n');
    out.append("  verdict: ").append(verdict(call).describe()).append('\n');
    return out.toString();
  }

  /** What the webhooks received so far say about {@code call}. */
  public Verdict verdict(DemoCall call) {
    boolean started = false;
    boolean completed = false;
    for (DemoHotlineApp.Received w : webhooks) {
      if (call.callSid().equals(w.params().get("CallSid"))) {
        started |= w.path().equals("/demo/incoming");
        completed |= w.path().equals("/demo/call-status")
            && "completed".equals(w.params().get("CallStatus"));
      }
    }
    return new Verdict(started, completed);
  }

  private String outcome(DemoCall call) {
    Map<String, String> last = new LinkedHashMap<>();
    for (DemoHotlineApp.Received w : webhooks) {
      if (call.callSid().equals(w.params().get("CallSid"))) {
        w.params().forEach((k, v) -> {
          if (k.equals("QueueResult") || k.equals("DialCallStatus") || k.equals("RecordingUrl")) {
            last.put(k, v);
          }
        });
      }
    }
    if (last.isEmpty()) {
      return "no queue or dial result reported";
    }
    return last.toString();
  }

  private static boolean mentions(SimLog.Request r, String callSid) {
    return r.path().contains(callSid) || r.query().contains(callSid) || r.body().contains(callSid);
  }

  private static String describe(DemoHotlineApp.Received w) {
    StringBuilder s = new StringBuilder("webhook ").append(w.method()).append(' ').append(w.path());
    w.params().entrySet().stream()
        .filter(e -> SHOWN_PARAMS.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> s.append(' ').append(e.getKey()).append('=').append(abbreviate(e.getValue())));
    return s.toString();
  }

  private static String shortSid(String sid) {
    return sid.length() > 10 ? sid.substring(0, 10) + "…" : sid;
  }

  private static String abbreviate(String value) {
    return value.length() > 70 ? value.substring(0, 67) + "..." : value;
  }
}
