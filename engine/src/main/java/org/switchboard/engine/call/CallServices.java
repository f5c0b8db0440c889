package org.switchboard.engine.call;

import java.time.Clock;
import java.util.Objects;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.TtsPort;
import org.switchboard.engine.port.WebhookPort;

/** Everything a call entity needs from the outside, in one place. */
public record CallServices(
    AriPort ari,
    WebhookPort webhooks,
    TtsPort tts,
    MediaPort media,
    ApplicationDirectory applications,
    CallDelegates delegates,
    CallSettings settings,
    ActiveCalls activeCalls,
    Clock clock) {

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
  }
}
