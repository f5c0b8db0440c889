package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/** {@code switchboard.audio.stream.websocket-client}: read once, used by every stream socket. */
class WebSocketClientTest {

  private static Config withClient(String client) {
    return ConfigFactory.parseString("switchboard.audio.stream.websocket-client = " + client)
        .withFallback(ConfigFactory.load());
  }

  @Test
  void theJdkClientIsTheDefaultForStreamsAndAgents() {
    Config config = ConfigFactory.load();
    assertEquals(WebSocketClient.JDK, AudioSettings.fromConfig(config).stream().webSocketClient());
    assertEquals(WebSocketClient.JDK, RealtimeSettings.fromConfig(config).webSocketClient());
  }

  @Test
  void pekkoSwitchesStreamsAndAgentsBack() {
    Config config = withClient("pekko");
    assertEquals(WebSocketClient.PEKKO,
        AudioSettings.fromConfig(config).stream().webSocketClient());
    assertEquals(WebSocketClient.PEKKO, RealtimeSettings.fromConfig(config).webSocketClient());
  }

  @Test
  void anUnknownClientIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioSettings.fromConfig(withClient("netty")));
    assertTrue(e.getMessage().contains("websocket-client") && e.getMessage().contains("netty"),
        e.getMessage());
  }
}
