package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.config.SwitchboardSettings;

/** What a node checks before it serves anything. */
class NodeStartTest {
  @TempDir Path dir;

  @Test
  void aTtsEngineThatCannotRunStopsTheStartWithOneLine() {
    Config config = ConfigFactory.parseMap(Map.of(
            "switchboard.audio.tts.espeak.executable", "/nonexistent/espeak-ng",
            "switchboard.audio.tts.required-at-start", "true",
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.audio.cache-dir", dir.resolve("audio").toString()))
        .withFallback(ConfigFactory.load());
    SwitchboardSettings settings =
        SwitchboardSettings.fromConfig(config).withHttpPort(Main.freePort("127.0.0.1"));
    VoiceApplication app = new VoiceApplication(URI.create("http://127.0.0.1:9/voice"),
        Method.POST, Optional.empty(), Method.POST, Optional.empty(), Method.POST, Set.of());
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> SwitchboardNode.start(config, settings, app, List.of(), Clock.systemUTC()).close());
    assertTrue(refused.getMessage().contains("the TTS engine '/nonexistent/espeak-ng' cannot run"),
        refused.getMessage());
    assertTrue(Main.reason(refused).lines().count() == 1, Main.reason(refused));
  }

  @Test
  void aStoreThatCannotBeReachedStopsTheStartWithOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/switchboard";
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> start(Map.of("switchboard.store.kind", "postgres", "switchboard.store.url", url)));
    assertTrue(refused.getMessage().contains("cannot open the postgres store at " + url
        + " (switchboard.store): "), refused.getMessage());
    assertTrue(refused.getMessage().contains("Connection to 127.0.0.1:" + port + " refused"),
        refused.getMessage());
    assertTrue(Main.reason(refused).lines().count() == 1, Main.reason(refused));
  }

  @Test
  void aStoreSettingThatMakesNoSenseStopsTheStartNamingTheKey() {
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> start(Map.of("switchboard.store.kind", "mysql")));
    assertTrue(kind.getMessage().contains(
        "switchboard.store.kind must be memory, h2 or postgres, not \"mysql\""), kind.getMessage());
    IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
        () -> start(Map.of("switchboard.store.kind", "postgres")));
    assertTrue(url.getMessage().contains("switchboard.store.url must start with jdbc:postgresql:"),
        url.getMessage());
  }

  private void start(Map<String, String> values) {
    Map<String, String> all = new java.util.HashMap<>(values);
    all.put("switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString());
    all.put("switchboard.audio.cache-dir", dir.resolve("audio").toString());
    Config config = ConfigFactory.parseMap(all).withFallback(ConfigFactory.load());
    SwitchboardSettings settings =
        SwitchboardSettings.fromConfig(config).withHttpPort(Main.freePort("127.0.0.1"));
    VoiceApplication app = new VoiceApplication(URI.create("http://127.0.0.1:9/voice"),
        Method.POST, Optional.empty(), Method.POST, Optional.empty(), Method.POST, Set.of());
    SwitchboardNode.start(config, settings, app, List.of(), Clock.systemUTC()).close();
  }
}
