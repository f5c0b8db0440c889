package org.switchboard.engine.call;

import java.time.Clock;
import java.util.Objects;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.TtsPort;
import org.switchboard.engine.port.WebhookPort;

/**
 * Everything a call entity needs from the outside, in one place. {@code history} and {@code
 * recordings} are the node's in-memory records of ended calls and completed recordings.
 */
public record CallServices(
    AriPort ari,
    WebhookPort webhooks,
    TtsPort tts,
    MediaPort media,
    ApplicationDirectory applications,
    CallDelegates delegates,
    CallSettings settings,
    ActiveCalls activeCalls,
    Clock clock,
    CallHistory history,
    RecordingIndex recordings) {

  public CallServices {
    Objects.requireNonNull(ari, "ari");
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(tts, "tts");
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(applications, "applications");
    Objects.requireNonNull(delegates, "delegates");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(activeCalls, "activeCalls");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(recordings, "recordings");
  }

  /** The same services with {@code delegates} (to compose delegates after construction). */
  public CallServices withDelegates(CallDelegates value) {
    return new CallServices(ari, webhooks, tts, media, applications, value, settings, activeCalls,
        clock, history, recordings);
  }
}
