package org.switchboard.asterisk.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Simulator settings. Start from {@link #defaults()} and change what matters with the
 * {@code with…} methods.
 *
 * @param host address to bind (loopback by default)
 * @param port port to bind, 0 for an OS-chosen one
 * @param user ARI user
 * @param password ARI password
 * @param app Stasis application that inbound calls enter ({@code Stasis(app,inbound,<exten>)})
 * @param inboundContext context of the Local channels {@link AriSimulator#inboundCall} creates
 * @param inboundContextPattern regex: a {@code Local/x@ctx} originate whose context matches is an
 *     inbound call (its {@code ;2} half enters Stasis), any other Local context is a far end
 * @param reentryContextPattern regex: {@code continue} into a matching context leaves Stasis and
 *     comes back 1 s later with args {@code [returned-from-dialplan]}; other contexts hang up
 * @param asteriskId the {@code asterisk_id} of every event
 * @param recordingsDir where recordings are written as WAV files
 * @param soundDurations durations of {@code sound:} names (without the {@code sound:} prefix)
 * @param defaultSoundDuration duration of a sound not in the table
 * @param missingSoundPattern regex: sounds whose name matches do not exist (playback fails)
 * @param dialRules rules for outbound dial strings, first match wins
 * @param defaultDial behaviour when no rule and no name convention matches
 * @param clock real or manual time
 * @param rtpAlwaysSend externalMedia sends frames even when nobody in its bridge speaks
 * @param logLimit how many REST requests and events the log keeps (oldest dropped)
 */
public record SimConfig(
    String host,
    int port,
    String user,
    String password,
    String app,
    String inboundContext,
    String inboundContextPattern,
    String reentryContextPattern,
    String asteriskId,
    Path recordingsDir,
    Map<String, Duration> soundDurations,
    Duration defaultSoundDuration,
    String missingSoundPattern,
    List<DialRule> dialRules,
    DialBehaviour defaultDial,
    SimClock clock,
    boolean rtpAlwaysSend,
    int logLimit) {

  /** Validates and copies collections. */
  public SimConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    soundDurations = Map.copyOf(soundDurations);
    dialRules = List.copyOf(dialRules);
  }

  /** Durations of the sounds the recorded transcripts use. */
  public static Map<String, Duration> defaultSounds() {
    return Map.of(
        "hello-world", Duration.ofMillis(1400),
        "beep", Duration.ofMillis(420),
        "demo-congrats", Duration.ofMillis(15500),
        "tt-monkeys", Duration.ofMillis(6000),
        "vm-goodbye", Duration.ofMillis(800),
        "silence/1", Duration.ofSeconds(1),
        "silence/5", Duration.ofSeconds(5));
  }

  /** Loopback, OS-chosen port, asterisk/asterisk, app {@code switchboard}, real clock. */
  public static SimConfig defaults() {
    return new SimConfig("127.0.0.1", 0, "asterisk", "asterisk", "switchboard", "switchboard-in",
        ".*-in", ".*-after", "02:fc:00:00:00:01",
        Path.of(System.getProperty("java.io.tmpdir"), "ari-sim-recordings"),
        defaultSounds(), Duration.ofSeconds(2), ".*(no-such|nonexistent|missing).*", List.of(),
        new DialBehaviour.Answer(Duration.ofSeconds(1)), SimClock.real(), false, 100_000);
  }

  /** Same settings with another port. */
  public SimConfig withPort(int newPort) {
    return new SimConfig(host, newPort, user, password, app, inboundContext, inboundContextPattern,
        reentryContextPattern, asteriskId, recordingsDir, soundDurations, defaultSoundDuration,
        missingSoundPattern, dialRules, defaultDial, clock, rtpAlwaysSend, logLimit);
  }

  /** Same settings with other credentials. */
  public SimConfig withCredentials(String newUser, String newPassword) {
    return new SimConfig(host, port, newUser, newPassword, app, inboundContext,
        inboundContextPattern, reentryContextPattern, asteriskId, recordingsDir, soundDurations,
        defaultSoundDuration, missingSoundPattern, dialRules, defaultDial, clock, rtpAlwaysSend,
        logLimit);
  }

  /** Same settings with another inbound application and inbound context. */
  public SimConfig withApp(String newApp, String newInboundContext) {
    return new SimConfig(host, port, user, password, newApp, newInboundContext,
        inboundContextPattern, reentryContextPattern, asteriskId, recordingsDir, soundDurations,
        defaultSoundDuration, missingSoundPattern, dialRules, defaultDial, clock, rtpAlwaysSend,
        logLimit);
  }

  /** Same settings with another clock. */
  public SimConfig withClock(SimClock newClock) {
    return new SimConfig(host, port, user, password, app, inboundContext, inboundContextPattern,
        reentryContextPattern, asteriskId, recordingsDir, soundDurations, defaultSoundDuration,
        missingSoundPattern, dialRules, defaultDial, newClock, rtpAlwaysSend, logLimit);
  }

  /** Same settings with another recordings directory. */
  public SimConfig withRecordingsDir(Path dir) {
    return new SimConfig(host, port, user, password, app, inboundContext, inboundContextPattern,
        reentryContextPattern, asteriskId, dir, soundDurations, defaultSoundDuration,
        missingSoundPattern, dialRules, defaultDial, clock, rtpAlwaysSend, logLimit);
  }

  /** Same settings with other dial rules and default. */
  public SimConfig withDialRules(List<DialRule> rules, DialBehaviour fallback) {
    return new SimConfig(host, port, user, password, app, inboundContext, inboundContextPattern,
        reentryContextPattern, asteriskId, recordingsDir, soundDurations, defaultSoundDuration,
        missingSoundPattern, rules, fallback, clock, rtpAlwaysSend, logLimit);
  }

  /** Same settings with RTP sent always (true) or only while someone speaks (false). */
  public SimConfig withRtpAlwaysSend(boolean always) {
    return new SimConfig(host, port, user, password, app, inboundContext, inboundContextPattern,
        reentryContextPattern, asteriskId, recordingsDir, soundDurations, defaultSoundDuration,
        missingSoundPattern, dialRules, defaultDial, clock, always, logLimit);
  }
}
