package org.switchboard.http.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * The standard families of {@code GET /metrics}, registered in a {@link MetricsRegistry} that
 * other components may extend. Gauges read their values from sources set by the integrator (zero
 * until set); counters and histograms are fed by the components that observe the events.
 */
public final class SwitchboardMetrics {
  /** Latency buckets in seconds, from 5 ms to 15 s. */
  public static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15
  };

  private final MetricsRegistry registry;
  private volatile IntSupplier activeCalls = () -> 0;
  private volatile IntSupplier ringingLegs = () -> 0;
  private volatile IntSupplier outboxDepth = () -> 0;
  private volatile Supplier<List<QueueControl.QueueInfo>> queues = List::of;

  private final MetricsRegistry.Counter callsEnded;
  private final MetricsRegistry.Counter ariReconnects;
  private final MetricsRegistry.Counter authFailures;
  private final MetricsRegistry.Histogram webhookLatency;
  private final MetricsRegistry.Counter webhookAttempts;
  private final MetricsRegistry.Counter webhookRetries;
  private final MetricsRegistry.Counter webhookFailures;
  private final MetricsRegistry.Counter outboxEvents;
  private final MetricsRegistry.Histogram ariCommandLatency;
  private final MetricsRegistry.Histogram ariEventLag;

  /** Registers the standard families in {@code registry}. */
  public SwitchboardMetrics(MetricsRegistry registry) {
    this.registry = registry;
    registry.gauge("switchboard_active_calls", "Calls currently live.",
        () -> activeCalls.getAsInt());
    registry.gauge("switchboard_ringing_legs", "Outbound legs currently ringing.",
        () -> ringingLegs.getAsInt());
    registry.gauge("switchboard_outbox_depth", "Status and recording callbacks awaiting delivery.",
        () -> outboxDepth.getAsInt());
    registry.gaugeFamily("switchboard_queue_size", "Calls waiting in each queue.",
        List.of("queue"), () -> perQueue(q -> (double) q.currentSize()));
    registry.gaugeFamily("switchboard_queue_average_wait_seconds",
        "Average wait of the calls now in each queue.",
        List.of("queue"), () -> perQueue(q -> (double) q.averageWaitSeconds()));
    callsEnded = registry.counter("switchboard_calls_ended_total",
        "Calls ended, by final Twilio status.", "status");
    ariReconnects = registry.counter("switchboard_ari_reconnects_total",
        "ARI WebSocket reconnections, by Asterisk server.", "server");
    authFailures = registry.counter("switchboard_api_auth_failures_total",
        "Requests refused for bad credentials or signatures, by endpoint and reason.",
        "endpoint", "reason");
    webhookLatency = registry.histogram("switchboard_webhook_latency_seconds",
        "Time from sending a webhook to its complete response, by purpose.",
        LATENCY_BUCKETS, "purpose");
    webhookAttempts = registry.counter("switchboard_webhook_attempts_total",
        "HTTP requests sent to the application (retries and redirects included), by purpose.",
        "purpose");
    webhookRetries = registry.counter("switchboard_webhook_retries_total",
        "Attempts that retried a failed one under the URL's rc/rp policy, by purpose.", "purpose");
    webhookFailures = registry.counter("switchboard_webhook_failures_total",
        "Failed attempts, by purpose and kind (refused, connect_timeout, timeout, 4xx, 5xx, ...).",
        "purpose", "kind");
    outboxEvents = registry.counter("switchboard_outbox_callbacks_total",
        "Callback deliveries by result: delivered, retried (failed, rescheduled with backoff) or "
            + "dead_lettered (given up after the maximum age).", "result");
    ariCommandLatency = registry.histogram("switchboard_ari_command_latency_seconds",
        "Time of ARI REST commands, by Asterisk server.", LATENCY_BUCKETS, "server");
    ariEventLag = registry.histogram("switchboard_ari_event_lag_seconds",
        "Delay between an ARI event's timestamp and its delivery to its call, by server.",
        LATENCY_BUCKETS, "server");
  }

  /** The registry, for components that register families of their own. */
  public MetricsRegistry registry() {
    return registry;
  }

  /** Where the live-call count comes from. */
  public void activeCallsSource(IntSupplier source) {
    this.activeCalls = source;
  }

  /** Where the ringing-leg count comes from. */
  public void ringingLegsSource(IntSupplier source) {
    this.ringingLegs = source;
  }

  /** Where the callback outbox depth comes from. */
  public void outboxDepthSource(IntSupplier source) {
    this.outboxDepth = source;
  }

  /** Where the queue snapshot for size and wait gauges comes from (must not block). */
  public void queuesSource(Supplier<List<QueueControl.QueueInfo>> source) {
    this.queues = source;
  }

  /** Counts a call that reached a final status. */
  public void callEnded(CallStatus finalStatus) {
    callsEnded.incLabels(finalStatus.wire());
  }

  /** Counts an ARI reconnection of a server. */
  public void ariReconnected(String serverId) {
    ariReconnects.incLabels(serverId);
  }

  /** Counts a refused request. */
  public void authFailed(String endpoint, String reason) {
    authFailures.incLabels(endpoint, reason);
  }

  /** Records a webhook's latency. */
  public void webhookLatency(String purpose, Duration latency) {
    webhookLatency.observeLabels(seconds(latency), purpose);
  }

  /** Counts an HTTP request sent to the application; {@code retry} when it repeats a failed one. */
  public void webhookAttempt(String purpose, boolean retry) {
    webhookAttempts.incLabels(purpose);
    if (retry) {
      webhookRetries.incLabels(purpose);
    }
  }

  /** Counts a failed webhook attempt of this kind. */
  public void webhookFailed(String purpose, String kind) {
    webhookFailures.incLabels(purpose, kind);
  }

  /** Counts an outbox delivery result: {@code delivered}, {@code retried} or {@code dead_lettered}. */
  public void outboxResult(String result) {
    outboxEvents.incLabels(result);
  }

  /** Records an ARI command's latency. */
  public void ariCommandLatency(String serverId, Duration latency) {
    ariCommandLatency.observeLabels(seconds(latency), serverId);
  }

  /** Records an ARI event's lag. */
  public void ariEventLag(String serverId, Duration lag) {
    ariEventLag.observeLabels(Math.max(0, seconds(lag)), serverId);
  }

  private Map<List<String>, Double> perQueue(
      java.util.function.Function<QueueControl.QueueInfo, Double> value) {
    Map<List<String>, Double> samples = new LinkedHashMap<>();
    for (QueueControl.QueueInfo queue : queues.get()) {
      samples.put(List.of(queue.friendlyName()), value.apply(queue));
    }
    return samples;
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  /** Webhook latency so far, over every purpose (seconds). */
  public MetricsRegistry.Totals webhookLatencyTotals() {
    return webhookLatency.totals();
  }

  /** ARI command latency so far, over every server (seconds). */
  public MetricsRegistry.Totals ariCommandLatencyTotals() {
    return ariCommandLatency.totals();
  }

  /** ARI event lag so far on {@code serverId} (seconds). */
  public MetricsRegistry.Totals ariEventLagTotals(String serverId) {
    return ariEventLag.totals(serverId);
  }
}
