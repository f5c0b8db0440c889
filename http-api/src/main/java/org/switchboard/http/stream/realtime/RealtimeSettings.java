package org.switchboard.http.stream.realtime;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code switchboard.realtime}: how Switchboard connects to a Realtime agent.
 *
 * @param apiKey sent as {@code Authorization: Bearer}; empty sends none (a local agent). Comes
 *     from configuration (or {@code OPENAI_API_KEY}), never from TwiML, and is never logged
 * @param betaHeader also send {@code OpenAI-Beta: realtime=v1} (the beta API's opt-in)
 * @param connectTimeout how long the agent's WebSocket may take to open
 * @param maxQueuedFrames agent audio buffered (20 ms frames) before the oldest is dropped
 */
public record RealtimeSettings(String apiKey, boolean betaHeader, Duration connectTimeout,
    int maxQueuedFrames) {

  /** Reads {@code switchboard.realtime}. */
  public static RealtimeSettings fromConfig(Config config) {
    Config c = config.getConfig("switchboard.realtime");
    return new RealtimeSettings(c.getString("api-key"), c.getBoolean("beta-header"),
        c.getDuration("connect-timeout"), c.getInt("max-queued-frames"));
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "RealtimeSettings[apiKey=" + (apiKey.isEmpty() ? "none" : "***") + ", betaHeader="
        + betaHeader + ", connectTimeout=" + connectTimeout + ", maxQueuedFrames="
        + maxQueuedFrames + "]";
  }
}
