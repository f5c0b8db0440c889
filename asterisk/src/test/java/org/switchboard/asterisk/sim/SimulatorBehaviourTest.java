package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, recordings, dial patterns, the manual clock and the control API. */
class SimulatorBehaviourTest {
  @TempDir Path recordings;

  @Test
  void wrongOrMissingCredentialsAre401AndApiKeyWorks() {
    try (SimFixture f = new SimFixture(recordings)) {
      SimTestClient.Response none = f.client.send("GET", "/ari/asterisk/info", null, null, false);
      assertEquals(401, none.status());
      assertEquals("Authentication required", none.body().path("message").asText());
      SimTestClient wrong = new SimTestClient(f.sim.port(), "asterisk", "nope");
      assertEquals(401, wrong.rest("GET", "/ari/channels", Map.of()).status());
      SimTestClient.Response key = f.client.send("GET", "/ari/asterisk/info",
          Map.of("api_key", "asterisk:asterisk"), null, false);
      assertEquals(200, key.status());
      JsonNode info = key.body();
      assertEquals("22.10.1", info.path("system").path("version").asText());
      for (String k : new String[] {"build", "system", "config", "status"}) {
        assertTrue(info.has(k), k);
      }
    }
  }

  @Test
  void recordingStopsAtMaxDurationAndLeavesARealWav() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      f.sim.speak(call, Duration.ofMillis(1500));
      assertEquals(201, f.client.rest("POST", "/ari/channels/" + call + "/record",
          Map.of("name", "vm1", "format", "wav", "maxDurationSeconds", 3)).status());
      f.advance(2900);
      assertFalse(f.has("RecordingFinished", "/recording/name", "vm1"));
      f.advance(200);
      JsonNode done = f.events.await(e -> e.path("type").asText().equals("RecordingFinished"));
      assertEquals(3, done.path("recording").path("duration").asInt());
      SimTestClient.Response file =
          f.client.rest("GET", "/ari/recordings/stored/vm1/file", Map.of());
      assertEquals(200, file.status());
      assertEquals("audio/wav", file.contentType());
      assertEquals("RIFF", new String(file.raw(), 0, 4, StandardCharsets.US_ASCII));
      assertEquals(Duration.ofSeconds(3), WavFile.duration(file.raw()).orElseThrow());
      assertEquals(44 + 3 * 8000 * 2, file.raw().length);
      boolean toneAtStart = false;
      for (int i = 44; i < 444; i++) {
        toneAtStart |= file.raw()[i] != 0;
      }
      assertTrue(toneAtStart, "speech is audible in the file");
      int silentStart = 44 + 2 * 8000 * 2;
      for (int i = silentStart; i < silentStart + 400; i++) {
        assertEquals(0, file.raw()[i], "silence after the caller stopped");
      }
    }
  }

  @Test
  void recordingStopsOnSilenceAndOnTerminateDigit() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      f.sim.speak(call, Duration.ofMillis(1500));
      f.client.rest("POST", "/ari/channels/" + call + "/record",
          Map.of("name", "sil", "format", "wav", "maxSilenceSeconds", 2));
      f.advance(3300);
      assertFalse(f.has("RecordingFinished", "/recording/name", "sil"));
      f.advance(200);
      JsonNode done = f.events.await(e -> e.path("type").asText().equals("RecordingFinished"));
      assertEquals(1, done.path("recording").path("talking_duration").asInt());
      f.client.rest("POST", "/ari/channels/" + call + "/record",
          Map.of("name", "dtmf", "format", "wav", "terminateOn", "#"));
      f.sim.pressDtmf(call, "#");
      f.advance(300);
      f.events.await(e -> e.path("type").asText().equals("RecordingFinished")
          && e.path("recording").path("name").asText().equals("dtmf"));
      int dtmfAt = f.events.types().lastIndexOf("ChannelDtmfReceived");
      assertTrue(dtmfAt >= 0 && dtmfAt < f.events.types().lastIndexOf("RecordingFinished"));
      assertTrue(f.sim.storedRecordings().containsAll(java.util.List.of("sil", "dtmf")));
    }
  }

  @Test
  void dialRulesDecideTheFarEnd() {
    try (SimFixture f = new SimFixture(recordings)) {
      f.sim.addDialRule(new DialRule("PJSIP/+1555*@trunk", DialBehaviour.parse("busy")));
      f.sim.addDialRule(new DialRule("re:PJSIP/vol-\\d+", DialBehaviour.parse("answer-after-2000")));
      assertEquals(500, f.client.rest("POST", "/ari/channels",
          Map.of("endpoint", "PJSIP/nobody", "app", "sb")).status());
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "PJSIP/+15551234@trunk",
          "app", "sb", "channelId", "b1"));
      f.events.await(e -> e.path("type").asText().equals("ChannelDestroyed")
          && e.path("channel").path("id").asText().equals("b1")
          && e.path("cause").asInt() == 17);
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "PJSIP/vol-7", "app", "sb",
          "channelId", "v7"));
      f.advance(1999);
      assertFalse(f.has("StasisStart", "/channel/id", "v7"));
      f.advance(1);
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals("v7"));
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "PJSIP/other", "app", "sb",
          "channelId", "d1", "timeout", 30));
      f.advance(1000);
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals("d1"));
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "Local/ring-forever@out",
          "app", "sb", "channelId", "rf", "timeout", 60));
      f.advance(30_000);
      assertFalse(f.has("StasisStart", "/channel/id", "rf"), "it rings on");
      assertEquals(200, f.client.send("POST", "/sim/channels/rf/answer", null, "{}", false)
          .status());
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals("rf"));
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "Local/ring-forever@out",
          "app", "sb", "channelId", "nf", "timeout", 5));
      f.advance(5000);
      f.events.await(e -> e.path("type").asText().equals("ChannelDestroyed")
          && e.path("channel").path("id").asText().equals("nf")
          && e.path("cause").asInt() == 19);
    }
  }

  @Test
  void redirectFollowsAsterisk() {
    try (SimFixture f = new SimFixture(recordings)) {
      f.sim.addDialRule(new DialRule("PJSIP/carol", DialBehaviour.parse("answer")));
      f.sim.addDialRule(new DialRule("*bob*", DialBehaviour.parse("answer")));
      f.sim.addDialRule(new DialRule("*busy*", DialBehaviour.parse("busy")));
      f.client.rest("POST", "/ari/channels", Map.of("endpoint", "PJSIP/carol", "app", "sb",
          "channelId", "c1"));
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals("c1"));
      String path = "/ari/channels/c1/redirect";
      assertEquals(400, f.client.rest("POST", path, Map.of()).status());
      assertEquals(422, f.client.rest("POST", path, Map.of("endpoint", "SIP/bob")).status());
      assertEquals(204, f.client.rest("POST", path,
          Map.of("endpoint", "PJSIP/sip:busy@pbx.test")).status());
      f.advance(1000);
      assertFalse(f.has("ChannelDestroyed", "/channel/id", "c1"), "a failed transfer");
      assertEquals(204, f.client.rest("POST", path,
          Map.of("endpoint", "PJSIP/sip:bob@pbx.test")).status());
      f.advance(199);
      assertFalse(f.has("ChannelDestroyed", "/channel/id", "c1"));
      f.advance(1);
      f.events.await(e -> e.path("type").asText().equals("ChannelDestroyed")
          && e.path("channel").path("id").asText().equals("c1")
          && e.path("cause").asInt() == 16);
      assertEquals(404, f.client.rest("POST", path,
          Map.of("endpoint", "PJSIP/sip:bob@pbx.test")).status());
      String local = f.answeredCall();
      assertEquals(204, f.client.rest("POST", "/ari/channels/" + local + "/redirect",
          Map.of("endpoint", "Local/200@default")).status());
      f.advance(1000);
      assertFalse(f.has("ChannelDestroyed", "/channel/id", local), "no effect on Local");
    }
  }

  @Test
  void manualClockDrivesPlaybacksAndTheControlApiWorks() {
    try (SimFixture f = new SimFixture(recordings)) {
      String call = f.answeredCall();
      f.client.rest("POST", "/ari/channels/" + call + "/play",
          Map.of("media", "sound:hello-world", "playbackId", "pb1"));
      f.events.await(e -> e.path("type").asText().equals("PlaybackStarted"));
      f.advance(1399);
      assertEquals(200, f.client.rest("GET", "/ari/playbacks/pb1", Map.of()).status());
      SimTestClient.Response adv = f.client.send("POST", "/sim/clock", null, "{\"ms\":1}", false);
      assertEquals(200, adv.status());
      f.events.await(e -> e.path("type").asText().equals("PlaybackFinished"));
      SimTestClient.Response dtmf = f.client.send("POST", "/sim/channels/" + call + "/dtmf",
          null, "{\"digits\":\"42\"}", false);
      assertEquals(200, dtmf.status());
      f.advance(1000);
      f.events.await(e -> e.path("type").asText().equals("ChannelDtmfReceived")
          && e.path("digit").asText().equals("2"));
      SimTestClient.Response call2 = f.client.send("POST", "/sim/calls", null,
          "{\"from\":\"+15559999\",\"to\":\"200\"}", false);
      String id2 = call2.body().path("channelId").asText();
      f.events.await(e -> e.path("type").asText().equals("StasisStart")
          && e.path("channel").path("id").asText().equals(id2));
      SimTestClient.Response state = f.client.send("GET", "/sim/state", null, null, false);
      assertEquals(4, state.body().path("channels").size());
      f.client.send("POST", "/sim/channels/" + id2 + "/hangup", null, "{}", false);
      f.events.await(e -> e.path("type").asText().equals("StasisEnd")
          && e.path("channel").path("id").asText().equals(id2));
      assertNotNull(f.sim.log().requests().stream()
          .filter(r -> r.path().endsWith("/play")).findFirst().orElse(null));
      SimTestClient.Response log = f.client.send("GET", "/sim/requests", null, null, false);
      assertEquals(200, log.status());
      assertEquals(f.sim.log().requests().size(), log.body().size());
      assertEquals(f.sim.log().requests().get(0).path(), log.body().get(0).path("path").asText());
    }
  }
}
