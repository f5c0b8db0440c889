package org.switchboard.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.switchboard.asterisk.client.OwnLatency;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one run measured; {@link #toJsonLine()} is the last line of stdout.
 *
 * @param profile profile id
 * @param mode {@code in-process}, {@code split} or {@code asterisk}
 * @param attempted calls placed
 * @param completed calls that went through their whole script and ended
 * @param failed attempted − completed
 * @param seconds wall time from the first call placed to the last call ended
 * @param peakConcurrent most calls live at once
 * @param eventToWebhook ARI event sent by the simulator → webhook request at the test app
 * @param twimlToCommand TwiML response sent by the test app → next ARI request for that channel
 * @param heapBytesPerLiveCall (used heap after GC at the peak − baseline) / live calls, if probed
 * @param liveCallsAtProbe live calls when the heap was probed
 * @param cpuSeconds CPU time of this process (plus its child processes in split mode)
 * @param jitSeconds JIT compile time of this JVM during the measured calls (in-process only):
 *     much more than a few seconds means the measure still includes warming up
 * @param lostEvents expected webhooks that never arrived, plus TwiML answers never acted on
 * @param orphaned what the simulator (or Asterisk) still held after the grace period
 * @param notes short remarks (e.g. why a measure is missing)
 * @param cpuByPart in one process: CPU seconds by part ({@link ThreadCpu}); in split mode each
 *     process's: {@code node}, {@code simulator}, {@code driver} (this one: load generator and test
 *     application); empty otherwise
 * @param heapRetainedBytesPerCall (used heap after GC once every call ended and the idle queues
 *     passivated − baseline) / completed calls, if probed: what each call left behind (bounded
 *     histories and caches fill up, then it tends to 0; growth that does not is a leak)
 */
public record LoadResult(
    String profile,
    String mode,
    int attempted,
    int completed,
    int failed,
    double seconds,
    int peakConcurrent,
    Percentiles.Summary eventToWebhook,
    Percentiles.Summary twimlToCommand,
    OptionalLong heapBytesPerLiveCall,
    int liveCallsAtProbe,
    OptionalDouble cpuSeconds,
    OptionalDouble jitSeconds,
    long lostEvents,
    Map<String, Integer> orphaned,
    String notes,
    Map<String, Double> cpuByPart,
    OptionalLong heapRetainedBytesPerCall) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A result without a CPU split by part. */
  public LoadResult(String profile, String mode, int attempted, int completed, int failed,
      double seconds, int peakConcurrent, Percentiles.Summary eventToWebhook,
      Percentiles.Summary twimlToCommand, OptionalLong heapBytesPerLiveCall, int liveCallsAtProbe,
      OptionalDouble cpuSeconds, OptionalDouble jitSeconds, long lostEvents,
      Map<String, Integer> orphaned, String notes) {
    this(profile, mode, attempted, completed, failed, seconds, peakConcurrent, eventToWebhook,
        twimlToCommand, heapBytesPerLiveCall, liveCallsAtProbe, cpuSeconds, jitSeconds, lostEvents,
        orphaned, notes, Map.of(), OptionalLong.empty());
  }

  /** Calls completed per second of the run. */
  public double callsPerSecond() {
    return seconds > 0 ? completed / seconds : 0;
  }

  /** Total orphaned objects. */
  public int orphanCount() {
    return orphaned.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** True when nothing failed, nothing was lost and nothing was orphaned. */
  public boolean ok() {
    return failed == 0 && lostEvents == 0 && orphanCount() == 0 && attempted > 0;
  }

  /** The one-line JSON object (latencies in milliseconds, three decimals). */
  public String toJsonLine() {
    return toJsonLine(null);
  }

  /**
   * The one-line JSON object, with Switchboard's own share of (a) and (b) ({@code
   * ownEventToWebhookMs}, {@code ownTwimlToCommandMs}, measured by the node) beside the end-to-end
   * figures when {@code own} is not null.
   */
  public String toJsonLine(OwnLatency.Snapshot own) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("profile", profile).put("mode", mode);
    o.put("attempted", attempted).put("completed", completed).put("failed", failed);
    o.put("seconds", round(seconds)).put("callsPerSecond", round(callsPerSecond()));
    o.put("peakConcurrent", peakConcurrent);
    o.set("eventToWebhookMs", latency(eventToWebhook));
    o.set("twimlToCommandMs", latency(twimlToCommand));
    if (own != null) {
      o.set("ownEventToWebhookMs", own(own.eventToWebhook()));
      o.set("ownTwimlToCommandMs", own(own.twimlToCommand()));
    }
    if (heapBytesPerLiveCall.isPresent()) {
      o.put("heapBytesPerLiveCall", heapBytesPerLiveCall.getAsLong());
      o.put("liveCallsAtHeapProbe", liveCallsAtProbe);
    } else {
      o.putNull("heapBytesPerLiveCall");
    }
    if (heapRetainedBytesPerCall.isPresent()) {
      o.put("heapRetainedBytesPerCall", heapRetainedBytesPerCall.getAsLong());
    } else {
      o.putNull("heapRetainedBytesPerCall");
    }
    if (cpuSeconds.isPresent()) {
      o.put("cpuSeconds", round(cpuSeconds.getAsDouble()));
    } else {
      o.putNull("cpuSeconds");
    }
    if (cpuByPart.isEmpty()) {
      o.putNull("cpuByPart");
    } else {
      ObjectNode parts = o.putObject("cpuByPart");
      cpuByPart.forEach((part, cpu) -> parts.put(part, round(cpu)));
    }
    if (jitSeconds.isPresent()) {
      o.put("jitSeconds", round(jitSeconds.getAsDouble()));
    } else {
      o.putNull("jitSeconds");
    }
    o.put("lostEvents", lostEvents);
    ObjectNode orphans = o.putObject("orphaned");
    orphaned.forEach(orphans::put);
    o.put("ok", ok());
    if (!notes.isEmpty()) {
      o.put("notes", notes);
    }
    return o.toString();
  }

  private static ObjectNode latency(Percentiles.Summary s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("samples", s.count());
    n.put("p50", ms(s.p50())).put("p90", ms(s.p90())).put("p99", ms(s.p99())).put("max", ms(s.max()));
    return n;
  }

  private static ObjectNode own(OwnLatency.Summary s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("samples", s.count());
    n.put("p50", ms(s.p50())).put("p90", ms(s.p90())).put("p99", ms(s.p99()))
        .put("p999", ms(s.p999())).put("max", ms(s.max()));
    return n;
  }

  private static double ms(long micros) {
    return Math.round(micros) / 1000.0;
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
