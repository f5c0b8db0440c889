package org.switchboard.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  @Test
  void writesParsableTextWithEscapesAndCumulativeBuckets() {
    MetricsRegistry registry = new MetricsRegistry();
    MetricsRegistry.Counter counter =
        registry.counter("demo_events_total", "Events\nby kind \\ source.", "kind");
    counter.incLabels("a\"b\\c\nd");
    counter.incLabels("a\"b\\c\nd");
    registry.gauge("demo_level", "A level.", () -> 2.5);
    registry.gaugeFamily("demo_broken", "Throws.", List.of("x"), () -> {
      throw new IllegalStateException("boom");
    });
    MetricsRegistry.Histogram histogram =
        registry.histogram("demo_seconds", "Durations.", new double[] {0.1, 1, 10}, "op");
    histogram.observeLabels(0.05, "get");
    histogram.observeLabels(0.5, "get");
    histogram.observeLabels(0.5, "get");
    histogram.observeLabels(100, "get");

    String text = registry.scrape();
    assertTrue(text.contains("# HELP demo_events_total Events\\nby kind \\\\ source.\n"), text);
    assertTrue(text.contains("demo_events_total{kind=\"a\\\"b\\\\c\\nd\"} 2\n"), text);
    var families = PrometheusTextParser.parse(text);
    assertEquals("counter", families.get("demo_events_total").type());
    assertEquals(2.0, families.get("demo_events_total").value("demo_events_total",
        Map.of("kind", "a\"b\\c\nd")));
    assertEquals(2.5, families.get("demo_level").value("demo_level", Map.of()));
    assertTrue(families.get("demo_broken").samples().isEmpty());
    var seconds = families.get("demo_seconds");
    assertEquals("histogram", seconds.type());
    assertEquals(1.0, seconds.value("demo_seconds_bucket", Map.of("op", "get", "le", "0.1")));
    assertEquals(3.0, seconds.value("demo_seconds_bucket", Map.of("op", "get", "le", "1")));
    assertEquals(3.0, seconds.value("demo_seconds_bucket", Map.of("op", "get", "le", "10")));
    assertEquals(4.0, seconds.value("demo_seconds_bucket", Map.of("op", "get", "le", "+Inf")));
    assertEquals(4.0, seconds.value("demo_seconds_count", Map.of("op", "get")));
    assertEquals(101.05, seconds.value("demo_seconds_sum", Map.of("op", "get")), 1e-9);
  }

  @Test
  void refusesBadRegistrationsAndUse() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.gauge("demo_one", "One.", () -> 1);
    assertThrows(IllegalArgumentException.class, () -> registry.gauge("demo_one", "x", () -> 1));
    assertThrows(IllegalArgumentException.class, () -> registry.counter("bad-name", "x"));
    assertThrows(IllegalArgumentException.class, () -> registry.counter("ok_total", "x", "__l"));
    assertThrows(IllegalArgumentException.class,
        () -> registry.histogram("h", "x", new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> registry.histogram("h2", "x", new double[] {1}, "le"));
    MetricsRegistry.Counter counter = registry.counter("c_total", "x", "a");
    assertThrows(IllegalArgumentException.class, counter::inc);
    assertThrows(IllegalArgumentException.class, () -> counter.incLabels("a", "b"));
  }
}
