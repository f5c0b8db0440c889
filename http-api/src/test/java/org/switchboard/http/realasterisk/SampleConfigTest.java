package org.switchboard.http.realasterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The samples in {@code conf/} that users copy do what they say on a real Asterisk: the ARI user
 * of {@code ari.conf} (every test of this layer logs in with it), the modules {@code
 * modules.conf} asks for, the inbound contexts of {@code extensions.conf}, the music-on-hold
 * class of {@code musiconhold.conf}.
 */
@Tag(RealAsterisk.TAG)
class SampleConfigTest {
  private static RealAsterisk asterisk;

  @BeforeAll
  static void start() {
    asterisk = RealAsterisk.shared();
  }

  @Test
  void everyModuleTheSampleLoadsIsRunning() throws Exception {
    List<String> modules = Files.readAllLines(RealAsterisk.projectRoot().resolve("conf/modules.conf"))
        .stream().filter(l -> l.matches("\\s*load\\s*=.*"))
        .map(l -> l.substring(l.indexOf('=') + 1).trim()).toList();
    assertFalse(modules.isEmpty(), "conf/modules.conf lists modules");
    for (String module : modules) {
      String shown = asterisk.cli("module show like " + module);
      assertTrue(shown.contains(module) && shown.contains("Running"), module + ": " + shown);
    }
  }

  @Test
  void aTrunkCallEntersTheApplicationWithTheDialledNumber() {
    try (AriSession s = new AriSession(asterisk.ariUrl(), asterisk.user(), asterisk.password(),
        RealAsterisk.APP)) {
      assertEquals(200, s.rest("POST", "/channels", Map.of(
          "endpoint", "Local/+15550009001@from-trunk", "context", "phones", "extension", "answer",
          "priority", "1", "channelId", "sc1-caller", "otherChannelId", "sc1-in")));
      JsonNode start = s.await("StasisStart", "sc1-in");
      assertEquals("[\"inbound\",\"15550009001\"]", start.path("args").toString());
      assertEquals(204, s.rest("DELETE", "/channels/sc1-in", Map.of()));
      s.await("StasisEnd", "sc1-in");
    }
  }

  @Test
  void theEchoContextAndTheHoldMusicClassExist() {
    assertTrue(asterisk.cli("dialplan show s@switchboard-echo").contains("Echo()"),
        "switchboard-echo runs Echo()");
    String moh = asterisk.cli("moh show classes");
    assertTrue(moh.contains("Class: default") && moh.contains("Mode: files"), moh);
  }
}
