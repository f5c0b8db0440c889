package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.ari.AriEvent.ChannelDestroyed;
import org.switchboard.asterisk.ari.AriEvent.StasisStart;
import org.switchboard.asterisk.ari.AriEvent.UnknownEvent;

class StreamingEventDecoderTest {
  private final AriJson json = new AriJson();
  private final StreamingEventDecoder streaming = AriJson.STREAMING;

  @Test
  void everyTranscriptEventStreamsToTheSameEventAsTheTree() {
    int total = 0;
    for (Path file : Transcripts.files()) {
      for (String raw : Transcripts.eventJson(Transcripts.lines(file))) {
        DecodePaths.assertStreamedAsTree(raw);
        total++;
      }
    }
    assertTrue(total > 800, "decoded " + total);
  }

  @Test
  void fieldOrderDoesNotMatter() throws Exception {
    int total = 0;
    for (Path file : Transcripts.files()) {
      for (String raw : Transcripts.eventJson(Transcripts.lines(file))) {
        ObjectNode original = (ObjectNode) AriJson.MAPPER.readTree(raw);
        DecodePaths.assertStreamedAsTree(reordered(original, false).toString());
        DecodePaths.assertStreamedAsTree(reordered(original, true).toString());
        total++;
      }
    }
    assertTrue(total > 800, "reordered " + total);
  }

  @Test
  void typeLastStillBindsEveryField() {
    String raw =
        "{\"channel\":{\"id\":\"c1\",\"state\":\"Up\"},\"cause\":16,\"cause_txt\":\"Normal Clearing\","
            + "\"timestamp\":\"2026-11-22T10:15:30.123+0530\",\"application\":\"llamenos\","
            + "\"asterisk_id\":\"02:fc:00:00:00:01\",\"type\":\"ChannelDestroyed\"}";
    ChannelDestroyed destroyed = assertInstanceOf(ChannelDestroyed.class, streaming.decode(raw));
    assertEquals(16, destroyed.cause());
    assertEquals("Normal Clearing", destroyed.causeTxt());
    assertEquals("c1", destroyed.channel().id());
    assertEquals(Instant.parse("2026-11-22T04:45:30.123Z"), destroyed.timestamp());
    assertEquals("02:fc:00:00:00:01", destroyed.asteriskId());
    assertEquals(destroyed, json.decodeTree(raw));
  }

  @Test
  void unknownTypeIsLeftToTheTreeAndKeptRaw() {
    String raw =
        "{\"application\":\"llamenos\",\"type\":\"ChannelHold\","
            + "\"timestamp\":\"2026-11-22T02:04:01.459+0000\",\"musicclass\":\"default\"}";
    assertNull(streaming.decode(raw));
    UnknownEvent unknown = assertInstanceOf(UnknownEvent.class, json.decode(raw));
    assertEquals(new UnknownEvent("ChannelHold", Instant.parse("2026-11-22T02:04:01.459Z"),
        "llamenos", null, raw), unknown);
    assertEquals(unknown, json.decodeTree(raw));
  }

  @Test
  void missingAndNullFieldsBindAsInTheTree() {
    DecodePaths.assertStreamedAsTree("{\"type\":\"ChannelDestroyed\",\"cause_txt\":null,\"channel\":{\"id\":\"c1\"}}");
    DecodePaths.assertStreamedAsTree("{\"timestamp\":\"\",\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\"}}");
    DecodePaths.assertStreamedAsTree(
        "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\",\"caller\":null,\"channelvars\":null}}");
    StasisStart start =
        assertInstanceOf(
            StasisStart.class,
            DecodePaths.assertStreamedAsTree("{\"args\":null,\"type\":\"StasisStart\",\"channel\":{\"id\":\"c1\"}}"));
    assertEquals(List.of(), start.args());
    assertNull(start.timestamp());
  }

  @Test
  void anEventWithoutTheObjectItIsAboutIsRefusedByBothPaths() {
    Map<String, String> reasons =
        Map.of(
            "{\"type\":\"StasisStart\",\"timestamp\":null,\"args\":null,\"channel\":null}",
                "ARI event StasisStart has no channel.id",
            "{\"type\":\"ChannelDestroyed\",\"cause_txt\":null}",
                "ARI event ChannelDestroyed has no channel.id",
            "{\"type\":\"RecordingFinished\",\"timestamp\":null,\"application\":null,\"asterisk_id\":null,\"recording\":null}",
                "ARI event RecordingFinished has no recording.name",
            "{\"type\":\"RecordingFinished\",\"recording\":{\"name\":null,\"duration\":null}}",
                "ARI event RecordingFinished has no recording.name",
            "{\"type\":\"PlaybackFinished\",\"playback\":{}}",
                "ARI event PlaybackFinished has no playback.id",
            "{\"type\":\"Dial\",\"dialstatus\":\"ANSWER\"}", "ARI event Dial has no peer.id");
    reasons.forEach(
        (raw, reason) -> {
          AriEvent streamed = streaming.decode(raw);
          if (streamed != null) {
            assertEquals(json.decodeTree(raw), streamed, raw);
          }
          AriDecodeException error =
              assertThrows(AriDecodeException.class, () -> json.decode(raw), raw);
          assertTrue(error.getMessage().startsWith(reason), error.getMessage());
        });
  }

  @Test
  void aRepeatedFieldIsRefusedByBothPaths() {
    for (String raw :
        List.of(
            "{\"application\":\"a\",\"type\":\"StasisEnd\",\"application\":\"b\",\"channel\":{\"id\":\"c1\"}}",
            "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\"},\"channel\":{\"id\":\"c2\"}}",
            "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\",\"id\":\"c2\"}}",
            "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\"},\"type\":\"ChannelDestroyed\"}",
            "{\"type\":\"ChannelDestroyed\",\"channel\":{\"id\":\"c1\"},\"type\":\"Bogus\"}")) {
      assertNull(streaming.decode(raw), raw);
      assertThrows(AriDecodeException.class, () -> json.decodeTree(raw), raw);
      AriDecodeException error = assertThrows(AriDecodeException.class, () -> json.decode(raw), raw);
      assertTrue(error.getMessage().startsWith("malformed ARI event JSON"), error.getMessage());
    }
  }

  @Test
  void anEventWithNothingButItsTypeIsLeftToTheTree() {
    String raw = "{\"type\":\"ApplicationReplaced\"}";
    assertNull(streaming.decode(raw));
    assertEquals(new AriEvent.ApplicationReplaced(null, null, null), json.decode(raw));
  }

  @Test
  void malformedInputIsTheTreePathsClearErrorAndNeverEscapesOtherwise() {
    Map<String, String> reasons =
        Map.of(
            "{not json", "malformed ARI event JSON",
            "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\"", "malformed ARI event JSON",
            "{\"channel\":{\"id\":\"c1\"},\"type\":\"StasisEnd\",", "malformed ARI event JSON",
            "[1,2]", "ARI event is not a JSON object",
            "", "ARI event is not a JSON object",
            "{\"no\":\"type\"}", "ARI event has no string 'type'",
            "{\"type\":42,\"channel\":{}}", "ARI event has no string 'type'",
            "{\"type\":\"ChannelDtmfReceived\",\"duration_ms\":{\"a\":1}}",
                "ARI event ChannelDtmfReceived has unexpected fields",
            "{\"args\":[\"a\",null],\"type\":\"StasisStart\"}",
                "ARI event StasisStart has unexpected fields",
            "{\"type\":\"StasisEnd\",\"timestamp\":\"yesterday\"}",
                "ARI event StasisEnd has unexpected fields");
    reasons.forEach(
        (raw, reason) -> {
          assertNull(streaming.decode(raw), raw);
          AriDecodeException viaTree =
              assertThrows(AriDecodeException.class, () -> json.decodeTree(raw), raw);
          AriDecodeException error =
              assertThrows(AriDecodeException.class, () -> json.decode(raw), raw);
          assertTrue(error.getMessage().startsWith(reason), error.getMessage());
          assertEquals(viaTree.getMessage(), error.getMessage());
        });
  }

  @Test
  void aValueOfTheWrongShapeOrTrailingTextIsRefusedByBothPaths() {
    Map<String, String> reasons =
        Map.of(
            "{\"type\":\"StasisEnd\",\"timestamp\":[\"2026-11-22T02:04:01.459+0000\"],\"channel\":{\"id\":\"c1\"}}", "ARI event StasisEnd has unexpected fields",
            "{\"type\":\"StasisEnd\",\"timestamp\":{\"at\":1},\"channel\":{\"id\":\"c1\"}}", "ARI event StasisEnd has unexpected fields",
            "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"c1\"}}{\"type\":\"StasisEnd\"}", "malformed ARI event JSON",
            "{\"type\":\"StasisEnd\",\"timestamp\":[\"2026-11-22T02:04:01.459+0000\",\"channel\":{\"id\":\"c1\"}}", "malformed ARI event JSON");
    reasons.forEach(
        (raw, reason) -> {
          assertNull(streaming.decode(raw), raw);
          AriDecodeException error =
              assertThrows(AriDecodeException.class, () -> json.decode(raw), raw);
          assertTrue(error.getMessage().startsWith(reason), error.getMessage());
          assertEquals(
              error.getMessage(),
              assertThrows(AriDecodeException.class, () -> json.decodeTree(raw)).getMessage());
        });
  }

  /** The same fields with {@code type} last, or all fields in reverse order. */
  private static ObjectNode reordered(ObjectNode original, boolean reverse) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    original.fields().forEachRemaining(fields::add);
    if (reverse) {
      Collections.reverse(fields);
    } else {
      fields.sort((a, b) -> Boolean.compare(a.getKey().equals("type"), b.getKey().equals("type")));
    }
    ObjectNode node = AriJson.MAPPER.createObjectNode();
    fields.forEach(f -> node.set(f.getKey(), f.getValue()));
    return node;
  }
}
