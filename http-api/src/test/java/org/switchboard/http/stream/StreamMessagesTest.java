package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Media Streams messages on the per-frame path, written and read without JSON trees. */
class StreamMessagesTest {

  @Test
  void mediaTextIsExactlyTheTreeRendering() {
    for (int length : new int[] {0, 1, 2, 3, 160, 320, 640, 961}) {
      byte[] audio = new byte[length];
      for (int i = 0; i < length; i++) {
        audio[i] = (byte) (i * 37 + 11);
      }
      for (long sequence : new long[] {0, 1, 123_456_789_012L}) {
        assertEquals(
            StreamMessages.render(StreamMessages.media("MZ0123", "inbound", 7, 140, audio),
                sequence),
            StreamMessages.mediaText(sequence, "MZ0123", "inbound", 7, 140, audio),
            length + " bytes, sequence " + sequence);
      }
    }
  }

  @Test
  void oneWriterReusedForFramesOfEveryLengthWritesEachExactly() {
    MediaMessageWriter writer = new MediaMessageWriter("MZ0123");
    long sequence = 0;
    for (int length : new int[] {961, 0, 160, 2, 640, 1, 3, 320}) {
      byte[] audio = new byte[length];
      for (int i = 0; i < length; i++) {
        audio[i] = (byte) (i * 53 + length);
      }
      String track = length % 2 == 0 ? "inbound" : "outbound";
      long chunk = 9_000_000_000L + length;
      assertEquals(
          StreamMessages.render(StreamMessages.media("MZ0123", track, chunk, length * 20L, audio),
              sequence),
          writer.media(sequence, track, chunk, length * 20L, audio), length + " bytes");
      sequence = sequence * 10 + 7;
    }
  }

  @Test
  void parseFindsTheFieldsInAnyOrderAndSkipsTheRest() {
    StreamMessages.AppMessage media = StreamMessages.parse(
        "{\"media\":{\"track\":\"x\",\"extra\":{\"deep\":[1,{\"a\":\"b\"}]},\"payload\":\"AQI=\"},"
            + "\"streamSid\":\"MZ1\",\"other\":[true,null,{\"event\":\"mark\"}],\"event\":\"media\"}");
    assertArrayEquals(new byte[] {1, 2}, assertInstanceOf(StreamMessages.Media.class, media).ulaw());
    assertEquals("m1", assertInstanceOf(StreamMessages.Mark.class, StreamMessages.parse(
        "{\"event\":\"mark\",\"mark\":{\"name\":\"m1\",\"n\":{\"name\":\"inner\"}}}")).name());
    assertInstanceOf(StreamMessages.Clear.class,
        StreamMessages.parse("{\"streamSid\":\"MZ1\",\"event\":\"clear\"}"));
    // A repeated field keeps its last value, as the tree parser did.
    assertArrayEquals(new byte[] {3}, ((StreamMessages.Media) StreamMessages.parse(
        "{\"event\":\"media\",\"media\":{\"payload\":\"AQI=\"},\"media\":{\"payload\":\"Aw==\"}}"))
        .ulaw());
  }

  @Test
  void parseRefusesWhatIsNotAMessageWithAReason() {
    assertRefused("[1,2]", "not a JSON object");
    assertRefused("", "not a JSON object");
    assertRefused("{\"event\":\"media\",\"media\":{\"payload\":\"AQI=\"}", "not JSON");
    assertRefused("{\"event\":\"media\",\"media\":{\"payload\":5}}", "without media.payload");
    assertRefused("{\"event\":\"media\",\"media\":{\"payload\":\"AQI=\"},\"media\":7}",
        "without media.payload");
    assertRefused("{\"event\":\"media\",\"media\":{\"payload\":\"%%\"}}", "not base64");
    assertRefused("{\"event\":\"mark\",\"mark\":{}}", "without mark.name");
    assertRefused("{\"event\":{\"name\":\"media\"},\"media\":{\"payload\":\"AQI=\"}}",
        "unknown event ''");
    assertRefused("{\"event\":\"dance\"}", "unknown event 'dance'");
  }

  private static void assertRefused(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StreamMessages.parse(text), text);
    if (!e.getMessage().contains(reason)) {
      throw new AssertionError(text + ": '" + e.getMessage() + "' does not say " + reason);
    }
  }
}
