package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.ari.AriEvent.ChannelDestroyed;
import org.switchboard.asterisk.ari.AriEvent.ChannelDtmfReceived;
import org.switchboard.asterisk.ari.AriEvent.Dial;
import org.switchboard.asterisk.ari.AriEvent.PlaybackFinished;
import org.switchboard.asterisk.ari.AriEvent.RecordingFailed;
import org.switchboard.asterisk.ari.AriEvent.RecordingFinished;
import org.switchboard.asterisk.ari.AriEvent.StasisStart;
import org.switchboard.asterisk.ari.AriEvent.UnknownEvent;

class AriJsonTest {
  private final AriJson json = new AriJson();

  @Test
  void everyTranscriptEventDecodesIntoATypedEvent() throws Exception {
    List<Path> files = Transcripts.files();
    assertTrue(files.size() >= 10, "transcripts found in " + Transcripts.dir());
    int total = 0;
    for (Path file : files) {
      for (String raw : Transcripts.eventJson(Transcripts.lines(file))) {
        AriEvent event = json.decode(raw);
        assertFalse(event instanceof UnknownEvent, file + ": " + raw);
        assertEquals(AriJson.MAPPER.readTree(raw).get("type").asText(), event.type());
        assertTrue(event.timestamp() != null, "timestamp of " + raw);
        assertEquals("02:fc:00:00:00:01", event.asteriskId());
        total++;
      }
    }
    assertTrue(total > 800, "decoded " + total);
  }

  @Test
  void stasisStartCarriesArgsAndTheChannel() {
    StasisStart start =
        first(Transcripts.lines("01-"), StasisStart.class);
    assertEquals(List.of("inbound", "100"), start.args());
    assertEquals("s01-inbound-714hs", start.channel().id());
    assertEquals("Ring", start.channel().state());
    assertEquals("+15551230001", start.channel().caller().number());
    assertEquals("Test Caller", start.channel().caller().name());
    assertEquals("llamenos-in", start.channel().dialplan().context());
    assertEquals(2, start.channel().dialplan().priority());
    assertEquals("Stasis", start.channel().dialplan().appName());
    assertEquals("llamenos", start.application());
    assertEquals(Instant.parse("2026-11-22T02:04:01.459Z"), start.channel().creationtime());
    assertNull(start.replaceChannel());
  }

  @Test
  void sipChannelKeepsProtocolIdAndDtmfDuration() {
    ChannelDtmfReceived dtmf = first(Transcripts.lines("01b-"), ChannelDtmfReceived.class);
    assertEquals("1", dtmf.digit());
    assertEquals(280, dtmf.durationMs());
    assertEquals("1-13833@127.0.0.1", dtmf.channel().protocolId());
    assertEquals("PJSIP/sipp-00000000", dtmf.channel().name());
  }

  @Test
  void destroyedDialPlaybackAndRecordingFieldsAreMapped() {
    List<AriEvent> events04 = decodeAll(Transcripts.lines("04-"));
    ChannelDestroyed answeredElsewhere =
        events04.stream()
            .filter(ChannelDestroyed.class::isInstance)
            .map(ChannelDestroyed.class::cast)
            .filter(d -> d.cause() == 26)
            .findFirst()
            .orElseThrow();
    assertEquals("Answered elsewhere", answeredElsewhere.causeTxt());
    assertTrue(
        events04.stream()
            .filter(Dial.class::isInstance)
            .map(Dial.class::cast)
            .anyMatch(d -> "ANSWER".equals(d.dialstatus()) && d.peer().id().contains("legA")));

    PlaybackFinished finished = first(Transcripts.lines("01-"), PlaybackFinished.class);
    assertEquals("done", finished.playback().state());
    assertEquals("sound:hello-world", finished.playback().mediaUri());
    assertEquals("s01-inbound-714hs", finished.playback().target().channelId().orElseThrow());

    RecordingFinished recording = first(Transcripts.lines("03-"), RecordingFinished.class);
    assertEquals(0, recording.recording().duration());
    assertEquals("wav", recording.recording().format());
    RecordingFailed failed = first(Transcripts.lines("05-"), RecordingFailed.class);
    assertEquals("Cannot record channel while in bridge", failed.recording().cause());
  }

  @Test
  void unknownTypeIsKeptWithItsRawJson() {
    String raw =
        "{\"type\":\"ChannelHold\",\"timestamp\":\"2026-11-22T02:04:01.459+0000\","
            + "\"application\":\"llamenos\",\"musicclass\":\"default\"}";
    UnknownEvent unknown = assertInstanceOf(UnknownEvent.class, json.decode(raw));
    assertEquals("ChannelHold", unknown.type());
    assertEquals(raw, unknown.rawJson());
    assertEquals(Instant.parse("2026-11-22T02:04:01.459Z"), unknown.timestamp());
    assertInstanceOf(UnknownEvent.class, json.decode(raw));
  }

  @Test
  void extraFieldsAreIgnored() {
    String raw =
        "{\"type\":\"StasisEnd\",\"timestamp\":\"2026-11-22T02:04:01.459+00:00\",\"future\":1,"
            + "\"channel\":{\"id\":\"c1\",\"brand_new\":{\"x\":1}}}";
    AriEvent.StasisEnd end = assertInstanceOf(AriEvent.StasisEnd.class, json.decode(raw));
    assertEquals("c1", end.channel().id());
  }

  @Test
  void malformedInputIsAClearError() {
    AriDecodeException garbage =
        assertThrows(AriDecodeException.class, () -> json.decode("{not json"));
    assertTrue(garbage.getMessage().startsWith("malformed ARI event JSON"), garbage.getMessage());
    assertThrows(AriDecodeException.class, () -> json.decode("[1,2]"));
    assertThrows(AriDecodeException.class, () -> json.decode("{\"no\":\"type\"}"));
    AriDecodeException badShape =
        assertThrows(
            AriDecodeException.class,
            () -> json.decode("{\"type\":\"ChannelDtmfReceived\",\"duration_ms\":{\"a\":1}}"));
    assertTrue(badShape.getMessage().contains("ChannelDtmfReceived"), badShape.getMessage());
  }

  @Test
  void eventsRoundTripThroughTheirWireForm() {
    for (String raw : Transcripts.eventJson(Transcripts.lines("04-"))) {
      AriEvent event = json.decode(raw);
      assertEquals(event, json.decode(AriJson.write(event)), raw);
    }
  }

  private List<AriEvent> decodeAll(List<com.fasterxml.jackson.databind.JsonNode> lines) {
    List<AriEvent> out = new ArrayList<>();
    for (String raw : Transcripts.eventJson(lines)) {
      out.add(json.decode(raw));
    }
    return out;
  }

  private <T> T first(List<com.fasterxml.jackson.databind.JsonNode> lines, Class<T> type) {
    return decodeAll(lines).stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }
}
