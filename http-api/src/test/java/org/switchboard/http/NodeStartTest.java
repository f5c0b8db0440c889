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
}
