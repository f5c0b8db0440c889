package org.switchboard.engine.call;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptSettings;

/**
 * Call-level settings ({@code switchboard.call} in reference.conf).
 *
 * @param accountSid the AccountSid sent on every request
 * @param maxCallDuration every call is hung up after this (spec §5.5: 4 h)
 * @param unansweredHangupStatus final status of a call the caller abandons before answer
 * @param teardownGrace how long a call waits for its cleanup commands before stopping
 * @param unclaimedTimeout how long an entity with no call lives (stray events) before passivating
 * @param orphanGrace how long an unclaimed entity waits before hanging up a reconciled channel
 * @param script the interpreter's settings
 */
public record CallSettings(
    String accountSid,
    Duration maxCallDuration,
    CallStatus unansweredHangupStatus,
    Duration teardownGrace,
    Duration unclaimedTimeout,
    Duration orphanGrace,
    ScriptSettings script) {

  public CallSettings {
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(maxCallDuration, "maxCallDuration");
    Objects.requireNonNull(unansweredHangupStatus, "unansweredHangupStatus");
    Objects.requireNonNull(teardownGrace, "teardownGrace");
    Objects.requireNonNull(unclaimedTimeout, "unclaimedTimeout");
    Objects.requireNonNull(orphanGrace, "orphanGrace");
    Objects.requireNonNull(script, "script");
  }

  /** Reads {@code switchboard.call} from {@code config}. */
  public static CallSettings fromConfig(Config config, RecordingLinks links) {
    Config c = config.getConfig("switchboard.call");
    ScriptSettings defaults = ScriptSettings.defaults(links);
    String prompt = c.getString("error-prompt");
    MediaRef errorPrompt =
        prompt.isBlank()
            ? ScriptSettings.DEFAULT_ERROR_PROMPT
            : prompt.contains(":") && !prompt.contains(" ")
                ? new MediaRef.Native(prompt)
                : new MediaRef.Speech(prompt, java.util.Optional.empty(), "en-US");
    ScriptSettings script =
        new ScriptSettings(
            c.getInt("max-documents-without-media"),
            errorPrompt,
            links,
            defaults.recordingSids(),
            c.getBoolean("empty-recording-falls-through"),
            defaults.clock());
    return new CallSettings(
        c.getString("account-sid"),
        c.getDuration("max-call-duration"),
        CallStatus.fromWire(c.getString("unanswered-hangup-status")),
        c.getDuration("teardown-grace"),
        c.getDuration("unclaimed-timeout"),
        c.getDuration("orphan-grace"),
        script);
  }
}
