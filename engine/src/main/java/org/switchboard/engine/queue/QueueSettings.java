package org.switchboard.engine.queue;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Queue settings ({@code switchboard.hotline.queue-*} in reference.conf).
 *
 * @param defaultMaxSize capacity when {@code <Enqueue maxQueueSize>} is absent (spec: 1000)
 * @param averageWindow the average wait is taken over this many most recent dequeued members
 * @param clock wall clock for enqueue times and waits
 * @param idleTimeout a sharded queue empty this long is stopped (see {@link QueueActor})
 */
public record QueueSettings(int defaultMaxSize, int averageWindow, Clock clock, Duration idleTimeout) {
  /** The idle timeout of reference.conf. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public QueueSettings {
    if (defaultMaxSize < 1 || averageWindow < 1) {
      throw new IllegalArgumentException("queue sizes must be at least 1");
    }
    Objects.requireNonNull(clock, "clock");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("queue idle timeout must be positive");
    }
  }

  /** Settings with the default idle timeout. */
  public QueueSettings(int defaultMaxSize, int averageWindow, Clock clock) {
    this(defaultMaxSize, averageWindow, clock, DEFAULT_IDLE_TIMEOUT);
  }

  /** Reads {@code switchboard.hotline} from {@code config}. */
  public static QueueSettings fromConfig(Config config, Clock clock) {
    Config c = config.getConfig("switchboard.hotline");
    return new QueueSettings(
        c.getInt("queue-default-max-size"), c.getInt("queue-average-window"), clock,
        c.getDuration("queue-idle-timeout"));
  }
}
