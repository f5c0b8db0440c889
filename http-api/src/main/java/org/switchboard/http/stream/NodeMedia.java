package org.switchboard.http.stream;

import com.typesafe.config.Config;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.speech.SpeechDelegates;
import org.switchboard.http.speech.SpeechRecognizers;
import org.switchboard.http.speech.SpeechSettings;
import org.switchboard.http.speech.StoredRecordings;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/**
 * The media delegates of one node: {@code <Connect>}/{@code <Start><Stream>} by {@link
 * MediaStreamDelegates} (Realtime agents on {@code switchboard.realtime}, relay delays and agent
 * latencies in the node's metrics, chan_websocket on {@code
 * switchboard.audio.stream.websocket-servers}), wrapped by {@link SpeechDelegates} for {@code
 * <Gather input="speech">} on the recogniser {@code switchboard.speech} names. Dial, queues and
 * conferences are not media: the engine's own delegates run them around these.
 */
public final class NodeMedia {

  private NodeMedia() {}

  /**
   * The node's media delegates.
   *
   * @param servers every configured Asterisk server (their ARI base URLs give the
   *     chan_websocket prefixes)
   * @param registry where relay delays and agent latencies are registered ({@code /metrics})
   * @param ticks the 20 ms pacing of application audio
   */
  public static CallDelegates delegates(Config config, AriConnector ari,
      List<AriServerConfig> servers, WebhookPort webhooks, AudioSettings audio,
      MetricsRegistry registry, TickSource ticks, Clock clock) {
    return speech(config, ari,
        new MediaStreamDelegates(
            CallDelegates.unsupported(),
            ari.ariPort(),
            webhooks,
            audio.stream(),
            RealtimeSettings.fromConfig(config),
            new AgentLatency(registry),
            ticks,
            clock,
            RelayDelays.registeredIn(registry),
            MediaStreamDelegates.mediaSockets(
                config.getStringList("switchboard.audio.stream.websocket-servers"),
                servers.stream().collect(Collectors.toMap(
                    AriServerConfig::id, AriServerConfig::baseUrl)))));
  }

  /** {@code <Gather input="speech">} on the recogniser {@code switchboard.speech} names. */
  private static CallDelegates speech(Config config, AriConnector ari, CallDelegates inner) {
    SpeechSettings speech = SpeechSettings.fromConfig(config);
    StoredRecordings files = new StoredRecordings() {
      @Override
      public CompletionStage<byte[]> read(String serverId, String name) {
        return ari.client(serverId).recordings().storedFile(name);
      }

      @Override
      public CompletionStage<?> delete(String serverId, String name) {
        return ari.client(serverId).recordings().deleteStored(name);
      }
    };
    return new SpeechDelegates(inner, ari.ariPort(), files, SpeechRecognizers.create(speech),
        speech);
  }
}
