package org.switchboard.http;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.switchboard.engine.call.DrainPolicy;

/**
 * {@code switchboard.drain}: how a node drains on SIGTERM ({@link NodeDrain}).
 *
 * @param policy what new calls get meanwhile
 * @param deadline how long live calls may go on
 * @param endGrace after the deadline, how long the calls that were hung up get to end
 * @param outboxFlush how long the callback outbox gets to deliver what it holds
 */
public record DrainSettings(
    DrainPolicy policy, Duration deadline, Duration endGrace, Duration outboxFlush) {

  /** Reads {@code switchboard.drain}. */
  public static DrainSettings fromConfig(Config config) {
    Config c = config.getConfig("switchboard.drain");
    String mode = c.getString("new-calls").trim().toUpperCase(Locale.ROOT);
    DrainPolicy.NewCalls newCalls;
    try {
      newCalls = DrainPolicy.NewCalls.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("switchboard.drain.new-calls must be busy, reject or"
          + " redirect, not \"" + c.getString("new-calls") + "\"");
    }
    Optional<URI> url = Optional.of(c.getString("redirect-url").trim())
        .filter(s -> !s.isEmpty()).map(URI::create);
    Optional<String> say = Optional.of(c.getString("say").trim()).filter(s -> !s.isEmpty());
    return new DrainSettings(new DrainPolicy(newCalls, url, say), c.getDuration("deadline"),
        c.getDuration("end-grace"), c.getDuration("outbox-flush"));
  }

  /** The longest a drain can take (the coordinated-shutdown phase that runs it must allow it). */
  public Duration longest() {
    return deadline.plus(endGrace).plus(outboxFlush).plusSeconds(5);
  }
}
