package org.switchboard.engine.queue;

import com.typesafe.config.Config;
import java.time.Clock;
import java.util.Objects;

/**
 * Queue settings ({@code switchboard.hotline.queue-*} in reference.conf).
 *
 * @param defaultMaxSize capacity when {@code <Enqueue maxQueueSize>} is absent (spec: 1000)
 * @param averageWindow the average wait is taken over this many most recent dequeued members
 * @param clock wall clock for enqueue times and waits
 */
public record QueueSettings(int defaultMaxSize, int averageWindow, Clock clock) {
  public QueueSettings {
    if (defaultMaxSize < 1 || averageWindow < 1) {
      throw new IllegalArgumentException("queue sizes must be at least 1");
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** Reads {@code switchboard.hotline} from {@code config}. */
  public static QueueSettings fromConfig(Config config, Clock clock) {
    Config c = config.getConfig("switchboard.hotline");
    return new QueueSettings(
        c.getInt("queue-default-max-size"), c.getInt("queue-average-window"), clock);
  }
}
