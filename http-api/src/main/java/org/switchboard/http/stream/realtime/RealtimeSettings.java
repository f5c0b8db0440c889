package org.switchboard.http.stream.realtime;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import org.switchboard.http.stream.WebSocketClient;
import org.switchboard.http.stream.realtime.RealtimeEvents.SessionShape;

/**
 * {@code switchboard.realtime}: how Switchboard connects to a Realtime agent.
 *
 * @param apiKey sent as {@code Authorization: Bearer}; empty sends none (a local agent). Comes
 *     from configuration (or {@code OPENAI_API_KEY}), never from TwiML, and is never logged
 * @param betaHeader also send {@code OpenAI-Beta: realtime=v1} (the beta API's opt-in)
 * @param connectTimeout how long the agent's WebSocket may take to open
 * @param maxQueuedFrames agent audio buffered (20 ms frames) before the oldest is dropped
 * @param sessionShape the {@code session.update} the agent reads: the beta one or the GA one
 * @param webSocketClient the client of the agent's socket ({@code
 *     switchboard.audio.stream.websocket-client}, as every stream socket)
 */
public record RealtimeSettings(String apiKey, boolean betaHeader, Duration connectTimeout,
    int maxQueuedFrames, SessionShape sessionShape, WebSocketClient webSocketClient) {

  /** Settings on the JDK's WebSocket client. */
  public RealtimeSettings(String apiKey, boolean betaHeader, Duration connectTimeout,
      int maxQueuedFrames, SessionShape sessionShape) {
    this(apiKey, betaHeader, connectTimeout, maxQueuedFrames, sessionShape, WebSocketClient.JDK);
  }

  /** Settings for the beta API's {@code session.update}. */
  public RealtimeSettings(String apiKey, boolean betaHeader, Duration connectTimeout,
      int maxQueuedFrames) {
    this(apiKey, betaHeader, connectTimeout, maxQueuedFrames, SessionShape.BETA);
  }

  /** Validates. */
  public RealtimeSettings {
    if (sessionShape == null) {
      throw new IllegalArgumentException("switchboard.realtime.session-shape is required");
    }
    if (webSocketClient == null) {
      throw new IllegalArgumentException("switchboard.audio.stream.websocket-client is required");
    }
  }

  private static final String CLIENT = "switchboard.audio.stream.websocket-client";

  /**
   * Reads {@code switchboard.realtime} (and the stream sockets' {@code websocket-client}).
   *
   * @throws IllegalArgumentException for a {@code session-shape} other than beta or ga
   */
  public static RealtimeSettings fromConfig(Config config) {
    Config c = config.getConfig("switchboard.realtime");
    String shape = c.getString("session-shape").trim().toUpperCase(Locale.ROOT);
    SessionShape sessionShape;
    try {
      sessionShape = SessionShape.valueOf(shape);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("switchboard.realtime.session-shape must be beta or ga, "
          + "not '" + c.getString("session-shape") + "'", e);
    }
    return new RealtimeSettings(c.getString("api-key"), c.getBoolean("beta-header"),
        c.getDuration("connect-timeout"), c.getInt("max-queued-frames"), sessionShape,
        config.hasPath(CLIENT) ? WebSocketClient.parse(config.getString(CLIENT))
            : WebSocketClient.JDK);
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "RealtimeSettings[apiKey=" + (apiKey.isEmpty() ? "none" : "***") + ", betaHeader="
        + betaHeader + ", connectTimeout=" + connectTimeout + ", maxQueuedFrames="
        + maxQueuedFrames + ", sessionShape=" + sessionShape + ", webSocketClient="
        + webSocketClient + "]";
  }
}
