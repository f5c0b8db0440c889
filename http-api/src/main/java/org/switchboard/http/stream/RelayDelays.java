package org.switchboard.http.stream;

import org.switchboard.http.api.MetricsRegistry;

/**
 * Where a media stream reports how long each 20 ms frame spent inside Switchboard: inbound from
 * the moment Asterisk's packet was read to the moment its {@code media} message went to the
 * application's WebSocket; outbound from the application's {@code media} message arriving to the
 * frame leaving toward Asterisk, which includes the wait for its 20 ms playout slot.
 */
@FunctionalInterface
public interface RelayDelays {

  /** Reports nothing. */
  RelayDelays NONE = (direction, nanos) -> { };

  /** Upper bounds of {@code switchboard_stream_relay_delay_seconds}: 50 µs to 100 ms. */
  double[] BUCKETS = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1
  };

  /** Which way a frame went. */
  enum Direction {
    /** Asterisk to the application. */
    INBOUND,
    /** The application to Asterisk. */
    OUTBOUND;

    /** The metric label value. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One frame took {@code nanos} inside Switchboard going {@code direction}. */
  void observe(Direction direction, long nanos);

  /** Delays recorded in {@code switchboard_stream_relay_delay_seconds{direction}}. */
  static RelayDelays registeredIn(MetricsRegistry registry) {
    MetricsRegistry.Histogram histogram = registry.histogram(
        "switchboard_stream_relay_delay_seconds",
        "Time a media stream frame spends inside Switchboard: inbound from Asterisk's packet to "
            + "the application's WebSocket, outbound from the application's media message to "
            + "Asterisk (including the wait for its 20 ms slot).",
        BUCKETS, "direction");
    // Each direction's series is looked up at its first frame, then reused (two frames per 20 ms
    // per stream): no label list, no map lookup per frame. A race resolves the same series twice.
    java.util.function.DoubleConsumer[] series =
        new java.util.function.DoubleConsumer[Direction.values().length];
    return (direction, nanos) -> {
      java.util.function.DoubleConsumer observe = series[direction.ordinal()];
      if (observe == null) {
        observe = histogram.series(direction.label());
        series[direction.ordinal()] = observe;
      }
      observe.accept(nanos / 1e9);
    };
  }
}
