package org.switchboard.loadtest;

import java.util.Locale;

/**
 * The call scripts the load generator can run; see {@link TestApp} for their TwiML. The default
 * rates of {@code simple} and {@code hotline} are half again their throughput targets (1,000 and
 * 300 calls/s): a run offered exactly the target can only achieve less (the first and last calls
 * ramp), so the defaults offer more and the achieved rate is what the machine holds, capped by the
 * concurrency.
 */
public enum Profile {
  /** Incoming → Say → Hangup. */
  SIMPLE(10_000, 1500, 2000),
  /** Gather (press 1) → action → Record (speak, #) → action → Say → Hangup. */
  IVR(5_000, 300, 2000),
  /** Gather (press 1) → action → Say → Hangup: the shortest script that needs a caller digit. */
  MENU(5_000, 300, 2000),
  /** Menu → Enqueue with a wait loop → three volunteer legs ring → first answers → bridge. */
  HOTLINE(2_000, 450, 500),
  /** Calls that only wait in a queue (a long Pause in the wait loop) until they hang up. */
  QUEUE(20_000, 150, 20_000);

  private final int defaultCalls;
  private final double defaultRate;
  private final int defaultConcurrency;

  Profile(int defaultCalls, double defaultRate, int defaultConcurrency) {
    this.defaultCalls = defaultCalls;
    this.defaultRate = defaultRate;
    this.defaultConcurrency = defaultConcurrency;
  }

  /** Calls placed when {@code --calls} is not given. */
  public int defaultCalls() {
    return defaultCalls;
  }

  /** Calls per second when {@code --rate} is not given. */
  public double defaultRate() {
    return defaultRate;
  }

  /** Concurrency cap when {@code --concurrency} is not given. */
  public int defaultConcurrency() {
    return defaultConcurrency;
  }

  /** The lower-case name used on the command line and in the JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a command-line profile name. */
  public static Profile parse(String s) {
    for (Profile p : values()) {
      if (p.id().equals(s.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown profile '" + s + "' (simple, ivr, menu, hotline or queue)");
  }
}
