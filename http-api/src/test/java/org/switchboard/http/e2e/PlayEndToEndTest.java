package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * {@code <Play>} end to end: an MP3 made with {@code lame} is fetched from the application,
 * transcoded, served to the simulator and played; a URL that answers 404 is skipped and the next
 * verb runs. {@code <Say>} in three languages is rendered and played the same way.
 */
class PlayEndToEndTest {
  private static E2eHarness h;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("play-e2e");
    Path wav = dir.resolve("tone.wav");
    Path mp3 = dir.resolve("tone.mp3");
    Assumptions.assumeTrue(run("sox", "-n", "-r", "8000", "-c", "1", wav.toString(), "synth", "1.5", "sine", "440"), "sox installed");
    Assumptions.assumeTrue(run("lame", "--quiet", wav.toString(), mp3.toString()), "lame installed");
    byte[] mp3Bytes = Files.readAllBytes(mp3);
    h = new E2eHarness();
    h.app.on("/audio/tone.mp3", r -> Response.binary("audio/mpeg", mp3Bytes));
    h.app.on("/audio/missing.mp3", r -> new Response(404, "text/plain", "no such file"));
    h.app.on(
        "/voice",
        r ->
            Response.twiml(
                "<Play>/audio/missing.mp3</Play><Play>/audio/tone.mp3</Play>"
                    + "<Say language=\"es-ES\">Hola.</Say><Say language=\"fr-FR\">Bonjour.</Say>"
                    + "<Say language=\"en-GB\">Goodbye.</Say><Hangup/>"));
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void mp3IsTranscodedAndPlayedAndA404IsSkipped() {
    String channel = h.call("+15557770101", "+15550004001");
    String sid = E2eHarness.callSid(channel);
    TestTwimlApp.Request status = h.app.await("/status", sid, E2eHarness.WAIT);
    assertEquals("completed", status.param("CallStatus"));
    List<SimLog.Request> plays =
        h.sim.log().requests().stream()
            .filter(r -> r.path().contains(channel) && r.path().endsWith("/play"))
            .toList();
    assertEquals(4, plays.size(), "the MP3 and three Says play; the 404 is skipped: " + plays);
    assertTrue(plays.stream().allMatch(p -> p.query().contains("/media/") && p.query().contains(".wav")), plays.toString());
    assertEquals(4, plays.stream().map(SimLog.Request::query).distinct().count(), "four different media");
    assertTrue(
        h.app.requests().stream().anyMatch(r -> r.path().equals("/audio/missing.mp3")),
        "the missing file was asked for");
    h.awaitClean();
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
