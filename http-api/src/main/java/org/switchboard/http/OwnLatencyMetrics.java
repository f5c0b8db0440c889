package org.switchboard.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.switchboard.asterisk.client.OwnLatency;
import org.switchboard.http.api.MetricsRegistry;

/** {@code /metrics} families of {@link OwnLatency}: quantiles and counts of both paths. */
final class OwnLatencyMetrics {
  private OwnLatencyMetrics() {}

  static void register(MetricsRegistry registry, OwnLatency own) {
    registry.gaugeFamily("switchboard_own_latency_seconds",
        "Switchboard's own share of the latency since the start, by path (event_to_webhook:"
            + " StasisStart or DTMF off the socket to the TwiML request handed to the HTTP client;"
            + " twiml_to_command: TwiML body received to the next ARI command handed to the ARI"
            + " client) and quantile.",
        List.of("path", "quantile"), () -> quantiles(own.snapshot()));
    registry.gaugeFamily("switchboard_own_latency_samples",
        "Intervals measured by switchboard_own_latency_seconds, by path.", List.of("path"),
        () -> {
          OwnLatency.Snapshot s = own.snapshot();
          return Map.of(List.of("event_to_webhook"), (double) s.eventToWebhook().count(),
              List.of("twiml_to_command"), (double) s.twimlToCommand().count());
        });
  }

  private static Map<List<String>, Double> quantiles(OwnLatency.Snapshot s) {
    Map<List<String>, Double> out = new LinkedHashMap<>();
    put(out, "event_to_webhook", s.eventToWebhook());
    put(out, "twiml_to_command", s.twimlToCommand());
    return out;
  }

  private static void put(Map<List<String>, Double> out, String path, OwnLatency.Summary m) {
    out.put(List.of(path, "0.5"), m.p50() / 1e6);
    out.put(List.of(path, "0.99"), m.p99() / 1e6);
    out.put(List.of(path, "0.999"), m.p999() / 1e6);
    out.put(List.of(path, "1"), m.max() / 1e6);
  }
}
