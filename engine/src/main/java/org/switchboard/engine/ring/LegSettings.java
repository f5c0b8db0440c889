package org.switchboard.engine.ring;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of outbound legs and dial sessions ({@code switchboard.hotline} in reference.conf).
 *
 * @param accountSid AccountSid sent in callbacks
 * @param clock wall clock for callback {@code Timestamp}s and for durations no event dates
 * @param originateGrace added to a leg's ring timeout in the originate request, so that the
 *     leg's own timer (not Asterisk's) ends an unanswered leg
 * @param stasisGrace how long an answered leg may take to enter Stasis before it is given up
 * @param unbridgedTimeout how long an answered, claimed leg waits to be bridged
 * @param linger how long a finished leg stays alive to absorb the channel's trailing events
 * @param drainTimeout how long a decided ring group waits for its losing legs' final reports
 * @param memberReadyTimeout how long a {@code <Dial><Queue>} waits for the dequeued member to
 *     be ready (its {@code <Queue url>} TwiML done)
 * @param recordingGrace how long a dial waits for {@code RecordingFinished} after its bridge ends
 */
public record LegSettings(
    String accountSid,
    Clock clock,
    Duration originateGrace,
    Duration stasisGrace,
    Duration unbridgedTimeout,
    Duration linger,
    Duration drainTimeout,
    Duration memberReadyTimeout,
    Duration recordingGrace) {

  public LegSettings {
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(originateGrace, "originateGrace");
    Objects.requireNonNull(stasisGrace, "stasisGrace");
    Objects.requireNonNull(unbridgedTimeout, "unbridgedTimeout");
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(memberReadyTimeout, "memberReadyTimeout");
    Objects.requireNonNull(recordingGrace, "recordingGrace");
  }

  /** The defaults of reference.conf. */
  public static LegSettings defaults(String accountSid, Clock clock) {
    return new LegSettings(
        accountSid,
        clock,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5));
  }

  /** Reads {@code switchboard.hotline} from {@code config}. */
  public static LegSettings fromConfig(Config config, String accountSid, Clock clock) {
    Config c = config.getConfig("switchboard.hotline");
    return new LegSettings(
        accountSid,
        clock,
        c.getDuration("originate-grace"),
        c.getDuration("stasis-grace"),
        c.getDuration("unbridged-timeout"),
        c.getDuration("leg-linger"),
        c.getDuration("drain-timeout"),
        c.getDuration("member-ready-timeout"),
        c.getDuration("recording-grace"));
  }
}
