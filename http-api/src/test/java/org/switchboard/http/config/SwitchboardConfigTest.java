package org.switchboard.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.http.webhook.SignatureMode;
import org.switchboard.http.webhook.WebhookSettings;

/**
 * The Llamenos bridge's {@code .env} read by {@link SwitchboardConfig} and mapped by {@link
 * BridgeEnvironment}, and the precedence against {@code SWITCHBOARD_*} and HOCON.
 */
class SwitchboardConfigTest {
  /** The seed README's {@code .env}, verbatim. */
  static final String SEED_ENV = """
      ARI_URL=ws://localhost:8088/ari/events
      ARI_REST_URL=http://localhost:8088/ari
      ARI_USERNAME=llamenos
      ARI_PASSWORD=changeme
      WORKER_WEBHOOK_URL=https://your-worker.example.com
      BRIDGE_SECRET=your-shared-secret-here
      BRIDGE_PORT=3000
      STASIS_APP=llamenos
      HOTLINE_NUMBER=+15551234567
      """;

  @TempDir Path dir;

  private Config load(String envFile, Map<String, String> environment) throws IOException {
    Path file = dir.resolve(".env");
    Files.writeString(file, envFile);
    return SwitchboardConfig.load(Optional.of(file), environment);
  }

  @Test
  void theSeedEnvConfiguresAsteriskTheWorkerAndTheSecrets() throws IOException {
    Config config = load(SEED_ENV, Map.of());
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    assertEquals(1, settings.ariServers().size());
    AriServerConfig ari = settings.ariServers().get(0);
    assertEquals("http://localhost:8088/ari", ari.baseUrl());
    assertEquals("llamenos", ari.app());
    assertEquals(new AriServerConfig.Basic("llamenos", "changeme"), ari.credentials());
    assertEquals(3000, settings.httpPort());
    assertEquals("127.0.0.1", settings.httpHost());
    assertEquals("your-shared-secret-here", config.getString("switchboard.bridge-secret"));
    assertEquals("your-shared-secret-here", config.getString("switchboard.api.bridge-secret"));
    // One secret: the Worker in Twilio mode checks X-Twilio-Signature with it too.
    assertEquals("your-shared-secret-here", config.getString("switchboard.auth-token"));
    WebhookSettings webhooks = WebhookSettings.fromConfig(config);
    assertEquals(SignatureMode.TWILIO_AND_BRIDGE, webhooks.signatureMode());
    assertEquals("your-shared-secret-here", webhooks.bridgeSecret());

    LlamenosSettings llamenos = LlamenosSettings.fromConfig(config);
    assertEquals(Optional.of("+15551234567"), llamenos.hotlineNumber());
    VoiceApplication app = llamenos.defaultApplication().orElseThrow();
    assertEquals(URI.create("https://your-worker.example.com/api/telephony/incoming"), app.voiceUrl());
    assertEquals(Optional.of(URI.create("https://your-worker.example.com/api/telephony/call-status")),
        app.statusCallback());
    // The legs of a /ring without answerUrl answer on the Worker's volunteer-answer.
    assertEquals("https://your-worker.example.com",
        org.switchboard.http.api.SeedSettings.fromConfig(config).workerUrl());
    // No other application is configured: the Worker is the default.
    assertTrue(settings.defaultApplication().isEmpty());
    // The file's variables do not linger in the configuration.
    assertFalse(config.hasPath("BRIDGE_SECRET"));
  }

  @Test
  void theEventsUrlAloneGivesTheRestBaseWithTheSameTlsChoice() throws IOException {
    Config config = load("ARI_URL=wss://pbx.example.org:8089/ari/events\n"
        + "WORKER_WEBHOOK_URL=https://w.example/prefix/\n", Map.of());
    AriServerConfig ari = SwitchboardSettings.fromConfig(config).ariServers().get(0);
    assertEquals("https://pbx.example.org:8089/ari", ari.baseUrl());
    // Bridge defaults for what the file leaves out.
    assertEquals("llamenos", ari.app());
    assertEquals(3000, SwitchboardSettings.fromConfig(config).httpPort());
    // A Worker URL with a path keeps it, as the bridge's WORKER_WEBHOOK_URL + path did.
    assertEquals(URI.create("https://w.example/prefix/api/telephony/incoming"),
        LlamenosSettings.fromConfig(config).incomingUrl());
  }

  @Test
  void theOptionalVariables() throws IOException {
    Config config = load(SEED_ENV + """
        BRIDGE_BIND=0.0.0.0
        ARI_CONNECTION_TIMEOUT_MS=120000
        SIP_PROVIDER=sip.telnyx.com
        SIP_USERNAME=trunkuser
        SIP_PASSWORD="p#ss word"
        """, Map.of());
    assertEquals("0.0.0.0", SwitchboardSettings.fromConfig(config).httpHost());
    assertEquals(Duration.ofMinutes(2), config.getDuration("switchboard.ari.connection-timeout"));
    LlamenosSettings.Sip sip = LlamenosSettings.fromConfig(config).sip();
    assertEquals(new LlamenosSettings.Sip("sip.telnyx.com", "trunkuser", "p#ss word"), sip);
    assertTrue(sip.configured());
  }

  @Test
  void switchboardVariablesWinOverBridgeVariablesAndTheEnvironmentOverTheFile()
      throws IOException {
    Config config = load(SEED_ENV + "SWITCHBOARD_ARI_APP=from-file\n",
        Map.of("SWITCHBOARD_ARI_USER", "sb-user", "ARI_PASSWORD", "from-env",
            "SWITCHBOARD_AUTH_TOKEN", "own-token", "SWITCHBOARD_HTTP_PORT", "8099",
            "SWITCHBOARD_SIGNATURE_MODE", "twilio+bridge-platform"));
    AriServerConfig ari = SwitchboardSettings.fromConfig(config).ariServers().get(0);
    assertEquals(new AriServerConfig.Basic("sb-user", "from-env"), ari.credentials());
    // A SWITCHBOARD_* variable of the file still beats the bridge's STASIS_APP.
    assertEquals("from-file", ari.app());
    assertEquals("own-token", config.getString("switchboard.auth-token"));
    assertEquals("your-shared-secret-here", config.getString("switchboard.bridge-secret"));
    assertEquals(8099, SwitchboardSettings.fromConfig(config).httpPort());
    assertEquals(SignatureMode.TWILIO_AND_BRIDGE_PLATFORM,
        WebhookSettings.fromConfig(config).signatureMode());
  }

  @Test
  void systemPropertiesWinOverEveryVariable() throws IOException {
    System.setProperty("switchboard.ari.app", "from-property");
    try {
      Config config = load(SEED_ENV, Map.of("SWITCHBOARD_ARI_APP", "from-env"));
      assertEquals("from-property",
          SwitchboardSettings.fromConfig(config).ariServers().get(0).app());
    } finally {
      System.clearProperty("switchboard.ari.app");
    }
  }

  @Test
  void withoutBridgeVariablesNothingChanges() throws IOException {
    Config config = load("# empty\n", Map.of());
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    assertTrue(settings.ariServers().isEmpty());
    assertEquals(8080, settings.httpPort());
    assertFalse(LlamenosSettings.fromConfig(config).enabled());
    assertEquals("twilio", config.getString("switchboard.webhooks.signature-mode"));
  }

  @Test
  void badValuesNameTheirVariable() {
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> load(SEED_ENV + "BRIDGE_PORT=thirty\n", Map.of()));
    assertTrue(port.getMessage().startsWith("BRIDGE_PORT=thirty"), port.getMessage());
    IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
        () -> load("ARI_URL=localhost:8088\n", Map.of()));
    assertTrue(url.getMessage().startsWith("ARI_URL=localhost:8088"), url.getMessage());
    assertThrows(IOException.class,
        () -> SwitchboardConfig.load(Optional.of(dir.resolve("missing.env")), Map.of()));
  }
}
