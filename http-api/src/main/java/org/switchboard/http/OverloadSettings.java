package org.switchboard.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.switchboard.engine.call.DrainPolicy;

/**
 * {@code switchboard.overload}: when a node sheds new calls ({@link OverloadGuard}).
 *
 * @param enabled whether the guard runs at all
 * @param policy what a new call gets while the node sheds: busy, reject, or a short {@code <Say>}
 * @param maxAriLatency shed when the moving average of ARI round trips passes this
 * @param maxAriPending shed when this many ARI commands await their answer
 * @param maxWebhookBacklog shed when this many TwiML requests await the application's answer
 * @param maxEventBacklog shed when this many ARI events wait for their calls to take them
 * @param resumeRatio admit again once every measure is below its limit times this ratio ...
 * @param resumeAfter ... for this long (hysteresis: the node does not flap)
 * @param checkInterval how often the measures are read
 * @param stuckAfter an ARI command pending this long counts as stuck in {@code /health}
 * @param refusalsInFlight hangups of calls turned away at the door sent at once on the refusal
 *     lane (the rest wait for a slot), whether the node sheds or drains
 */
public record OverloadSettings(
    boolean enabled,
    DrainPolicy policy,
    Duration maxAriLatency,
    int maxAriPending,
    int maxWebhookBacklog,
    int maxEventBacklog,
    double resumeRatio,
    Duration resumeAfter,
    Duration checkInterval,
    Duration stuckAfter,
    int refusalsInFlight) {

  /** Reads {@code switchboard.overload}. */
  public static OverloadSettings fromConfig(Config config) {
    Config c = config.getConfig("switchboard.overload");
    String mode = c.getString("new-calls").trim().toLowerCase(Locale.ROOT);
    Optional<String> say = Optional.of(c.getString("say").trim()).filter(s -> !s.isEmpty());
    DrainPolicy policy = switch (mode) {
      case "busy" -> DrainPolicy.BUSY;
      case "reject" -> new DrainPolicy(DrainPolicy.NewCalls.REJECT, Optional.empty(),
          Optional.empty());
      case "say" -> new DrainPolicy(DrainPolicy.NewCalls.REDIRECT, Optional.empty(),
          Optional.of(say.orElseThrow(() -> new IllegalArgumentException(
              "switchboard.overload.new-calls = say needs switchboard.overload.say"))));
      default -> throw new IllegalArgumentException("switchboard.overload.new-calls must be"
          + " busy, reject or say, not \"" + c.getString("new-calls") + "\"");
    };
    if (c.getInt("refusals-in-flight") < 1) {
      throw new IllegalArgumentException("switchboard.overload.refusals-in-flight must be at"
          + " least 1, not " + c.getInt("refusals-in-flight"));
    }
    double ratio = c.getDouble("resume-ratio");
    if (ratio <= 0 || ratio > 1) {
      throw new IllegalArgumentException(
          "switchboard.overload.resume-ratio must be in (0, 1], not " + ratio);
    }
    return new OverloadSettings(c.getBoolean("enabled"), policy,
        c.getDuration("max-ari-latency"), c.getInt("max-ari-pending"),
        c.getInt("max-webhook-backlog"), c.getInt("max-event-backlog"), ratio, c.getDuration("resume-after"),
        c.getDuration("check-interval"), c.getDuration("stuck-after"),
        c.getInt("refusals-in-flight"));
  }
}
