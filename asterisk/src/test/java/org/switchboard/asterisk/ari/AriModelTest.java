package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.ari.Transcripts.Exchange;

/** Every successful REST body of the transcripts parses into the model records. */
class AriModelTest {

  @Test
  void restBodiesParseIntoModelRecords() {
    Map<String, Integer> parsed = new HashMap<>();
    for (Path file : Transcripts.files()) {
      for (Exchange x : Transcripts.exchanges(Transcripts.lines(file))) {
        if (x.status() < 200 || x.status() >= 300 || x.response().get("body").isNull()) {
          continue;
        }
        String kind = parse(x);
        if (kind != null) {
          parsed.merge(kind, 1, Integer::sum);
        }
      }
    }
    for (String kind :
        List.of(
            "channel", "channels", "bridge", "playback", "live", "stored",
            "storedList", "variable", "applications")) {
      assertTrue(parsed.getOrDefault(kind, 0) > 0, kind + " parsed: " + parsed);
    }
  }

  @Test
  void externalMediaReplyCarriesChannelVariables() {
    Exchange reply =
        Transcripts.exchanges(Transcripts.lines("07-")).stream()
            .filter(x -> x.path().endsWith("/externalMedia") && x.status() == 200)
            .findFirst()
            .orElseThrow();
    Channel channel = AriJson.read(reply.body(), Channel.class);
    assertEquals("127.0.0.1", channel.channelvars().get("UNICASTRTP_LOCAL_ADDRESS"));
    assertTrue(Integer.parseInt(channel.channelvars().get("UNICASTRTP_LOCAL_PORT")) > 0);
    assertTrue(channel.name().startsWith("UnicastRTP/"));
  }

  @Test
  void asteriskInfoParses() {
    String body =
        "{\"build\":{\"os\":\"Linux\",\"kernel\":\"6.1\",\"options\":\"\",\"machine\":\"x86_64\","
            + "\"date\":\"2026-11-01\",\"user\":\"root\"},"
            + "\"system\":{\"version\":\"22.10.1\",\"entity_id\":\"02:fc:00:00:00:01\"},"
            + "\"config\":{\"name\":\"\",\"default_language\":\"en\",\"max_load\":0.5,"
            + "\"setid\":{\"user\":\"asterisk\",\"group\":\"asterisk\"}},"
            + "\"status\":{\"startup_time\":\"2026-11-22T02:00:00.000+0000\","
            + "\"last_reload_time\":\"2026-11-22T02:00:00.000+0000\"}}";
    AsteriskInfo info = AriJson.read(body.getBytes(), AsteriskInfo.class);
    assertEquals("22.10.1", info.system().version());
    assertEquals("02:fc:00:00:00:01", info.system().entityId());
    assertEquals("en", info.config().defaultLanguage());
    assertEquals("asterisk", info.config().setid().user());
    assertNotNull(info.status().startupTime());
  }

  private static String parse(Exchange x) {
    String[] p = x.path().substring("/ari/".length()).split("/");
    boolean get = "GET".equals(x.method());
    switch (p[0]) {
      case "channels":
        if (p.length == 1 && get) {
          AriJson.readList(x.body(), Channel.class).forEach(c -> assertNotNull(c.id()));
          return "channels";
        }
        if (p.length >= 3 && "variable".equals(p[2])) {
          assertNotNull(AriJson.read(x.body(), Variable.class).value());
          return "variable";
        }
        if (p.length >= 3 && "play".equals(p[2])) {
          assertNotNull(AriJson.read(x.body(), Playback.class).targetUri());
          return "playback";
        }
        if (p.length >= 3 && "record".equals(p[2])) {
          assertNotNull(AriJson.read(x.body(), LiveRecording.class).name());
          return "live";
        }
        if (p.length <= 2) {
          Channel c = AriJson.read(x.body(), Channel.class);
          assertNotNull(c.id(), x.path());
          assertNotNull(c.caller(), x.path());
          return "channel";
        }
        return null;
      case "bridges":
        if (p.length == 1 && get) {
          AriJson.readList(x.body(), Bridge.class).forEach(b -> assertNotNull(b.id()));
          return "bridges";
        }
        if (p.length >= 3 && "play".equals(p[2])) {
          assertTrue(AriJson.read(x.body(), Playback.class).target().bridgeId().isPresent());
          return "playback";
        }
        if (p.length >= 3 && "record".equals(p[2])) {
          assertTrue(AriJson.read(x.body(), LiveRecording.class).target().bridgeId().isPresent());
          return "live";
        }
        if (p.length <= 2) {
          Bridge b = AriJson.read(x.body(), Bridge.class);
          assertNotNull(b.id(), x.path());
          assertNotNull(b.bridgeType(), x.path());
          return "bridge";
        }
        return null;
      case "playbacks":
        assertNotNull(AriJson.read(x.body(), Playback.class).state());
        return "playback";
      case "recordings":
        if ("live".equals(p[1])) {
          assertNotNull(AriJson.read(x.body(), LiveRecording.class).state());
          return "live";
        }
        if (p.length == 2) {
          AriJson.readList(x.body(), StoredRecording.class).forEach(r -> assertNotNull(r.name()));
          return "storedList";
        }
        if (p.length == 3) {
          assertNotNull(AriJson.read(x.body(), StoredRecording.class).format());
          return "stored";
        }
        return null;
      case "applications":
        if (p.length == 1) {
          AriJson.readList(x.body(), Application.class);
        } else if (get) {
          assertNotNull(AriJson.read(x.body(), Application.class).name());
        }
        return "applications";
      default:
        return null;
    }
  }
}
