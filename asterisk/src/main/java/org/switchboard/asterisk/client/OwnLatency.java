package org.switchboard.asterisk.client;

import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;

/**
 * Switchboard's own share of a call's latency, measured inside the node at its edges (on by
 * default, {@code switchboard.own-latency.enabled}):
 *
 * <ul>
 *   <li><b>event → webhook</b>: a {@code StasisStart} or {@code ChannelDtmfReceived} taken from
 *       the event socket's read-ahead buffer ({@link #eventReceived}) → the call's next TwiML
 *       request handed to the HTTP client ({@link #webhookSent});
 *   <li><b>TwiML → command</b>: a TwiML body received in full ({@link #twimlReceived}) → the
 *       call's next ARI command handed to the ARI client ({@link #commandSent}).
 * </ul>
 *
 * <p>What lies outside (the sockets, Asterisk, the application) is the end-to-end figure minus
 * this. Each start is remembered per CallSid until its end consumes it (a bounded map: starts
 * that never end, such as an outbound leg's StasisStart, are dropped wholesale past {@value
 * #MAX_OPEN}); intervals go to HdrHistogram {@link Recorder}s (microseconds, 3 significant
 * digits), lock-free for the recording threads.
 */
public final class OwnLatency {
  static final int MAX_OPEN = 65_536;
  private static final long MAX_MICROS = 3_600_000_000L;

  private volatile boolean enabled = true;
  private final ConcurrentHashMap<String, Long> events = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> twiml = new ConcurrentHashMap<>();
  private final Recorder eventToWebhook = new Recorder(MAX_MICROS, 3);
  private final Recorder twimlToCommand = new Recorder(MAX_MICROS, 3);
  private final Histogram eventToWebhookTotal = new Histogram(MAX_MICROS, 3);
  private final Histogram twimlToCommandTotal = new Histogram(MAX_MICROS, 3);

  /** Turns the measure on or off (off: every hook returns at once). */
  public void enabled(boolean on) {
    enabled = on;
  }

  public boolean enabled() {
    return enabled;
  }

  /** An event that starts a TwiML request was taken off the socket of {@code serverId}. */
  void eventReceived(String serverId, String channelId, long nanos) {
    if (enabled) {
      remember(events, CallSid.forChannel(new ChannelRef(serverId, channelId)), nanos);
    }
  }

  /** A TwiML request of {@code callSid} was handed to the HTTP client. */
  public void webhookSent(String callSid, long nanos) {
    if (enabled && callSid != null) {
      record(events.remove(callSid), nanos, eventToWebhook);
    }
  }

  /** The TwiML body of {@code callSid} arrived in full. */
  public void twimlReceived(String callSid, long nanos) {
    if (enabled && callSid != null) {
      remember(twiml, callSid, nanos);
    }
  }

  /** Whether a TwiML body of {@code callSid} arrived and no ARI command for it was sent since. */
  public boolean awaitsCommand(String callSid) {
    return twiml.containsKey(callSid);
  }

  /** An ARI command on {@code channel} was handed to the ARI client. */
  void commandSent(ChannelRef channel, long nanos) {
    if (enabled && !twiml.isEmpty()) {
      record(twiml.remove(CallSid.forChannel(channel)), nanos, twimlToCommand);
    }
  }

  private static void remember(ConcurrentHashMap<String, Long> starts, String callSid, long nanos) {
    if (starts.size() >= MAX_OPEN) {
      starts.clear();
    }
    starts.put(callSid, nanos);
  }

  private static void record(Long start, long nanos, Recorder into) {
    if (start != null) {
      into.recordValue(Math.min(MAX_MICROS, Math.max(0, (nanos - start) / 1_000)));
    }
  }

  /** Both measures since the start or the last {@link #reset}. */
  public synchronized Snapshot snapshot() {
    eventToWebhookTotal.add(eventToWebhook.getIntervalHistogram());
    twimlToCommandTotal.add(twimlToCommand.getIntervalHistogram());
    return new Snapshot(Summary.of(eventToWebhookTotal), Summary.of(twimlToCommandTotal));
  }

  /** Forgets what was measured (a load test's warm-up). */
  public synchronized void reset() {
    eventToWebhook.reset();
    twimlToCommand.reset();
    eventToWebhookTotal.reset();
    twimlToCommandTotal.reset();
  }

  /** Both measures. */
  public record Snapshot(Summary eventToWebhook, Summary twimlToCommand) {}

  /** One measure, in microseconds. */
  public record Summary(long count, long p50, long p90, long p99, long p999, long max) {
    static Summary of(Histogram h) {
      return new Summary(h.getTotalCount(), h.getValueAtPercentile(50),
          h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
  }
}
