package org.switchboard.http.stream.realtime;

import org.switchboard.http.api.MetricsRegistry;

/**
 * The latency histograms of Realtime agents in {@code /metrics}: the agent's first audio of an
 * answer to its first frame sent toward Asterisk (Switchboard's own share), and the caller's
 * speech end (the server's {@code speech_stopped}) to the agent's first audio (the agent's share).
 */
public final class AgentLatency {

  /** Buckets in seconds, from 0.5 ms (relay) to 5 s (a slow model). */
  public static final double[] BUCKETS = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
  };

  private final MetricsRegistry.Histogram playout;
  private final MetricsRegistry.Histogram response;

  /** Registers the two families in {@code registry}. */
  public AgentLatency(MetricsRegistry registry) {
    playout = registry.histogram("switchboard_agent_playout_delay_seconds",
        "Time from the agent's first audio delta of an answer to its first frame sent toward "
            + "Asterisk.", BUCKETS);
    response = registry.histogram("switchboard_agent_response_latency_seconds",
        "Time from the caller's speech end (the agent's speech_stopped) to the agent's first "
            + "audio delta of the answer.", BUCKETS);
  }

  /** Records one first-delta-to-wire delay. */
  public void playout(long nanos) {
    playout.observe(nanos / 1e9);
  }

  /** Records one speech-end-to-first-delta latency. */
  public void response(long nanos) {
    response.observe(nanos / 1e9);
  }

  /** First-delta-to-wire delays so far. */
  public MetricsRegistry.Totals playoutTotals() {
    return playout.totals();
  }

  /** Speech-end-to-first-delta latencies so far. */
  public MetricsRegistry.Totals responseTotals() {
    return response.totals();
  }
}
