package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RTP packets, the outbound queue's rules and app message parsing, without sockets. */
class StreamProtocolTest {

  @Test
  void rtpRoundTripsAndSkipsCsrcExtensionAndPadding() {
    RtpPacket p = new RtpPacket(0, true, 65535, 0xFFFFFFF0L, 0xCAFEBABEL, new byte[] {1, 2, 3});
    byte[] bytes = p.toBytes();
    RtpPacket back = RtpPacket.parse(bytes, bytes.length);
    assertEquals(0, back.payloadType());
    assertTrue(back.marker());
    assertEquals(65535, back.sequence());
    assertEquals(0xFFFFFFF0L, back.timestamp());
    assertEquals(0xCAFEBABEL, back.ssrc());
    assertArrayEquals(new byte[] {1, 2, 3}, back.payload());

    byte[] fancy = {(byte) 0xB1, 118, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 9, 9, 9, 9, // 1 CSRC
        0, 0, 0, 1, 7, 7, 7, 7, 42, 43, 0, 2}; // extension of 1 word, payload, 2 padding
    RtpPacket parsed = RtpPacket.parse(fancy, fancy.length);
    assertEquals(118, parsed.payloadType());
    assertArrayEquals(new byte[] {42, 43}, parsed.payload());
    assertThrows(IllegalArgumentException.class, () -> RtpPacket.parse(new byte[] {0, 0}, 2));
  }

  @Test
  void outboundQueueFramesAudioAndOrdersMarks() {
    OutboundAudio q = new OutboundAudio(100);
    assertEquals(List.of("idle"), q.addMark("idle"));

    q.addAudio(new byte[200]);
    assertEquals(List.of(), q.addMark("m1"));
    q.addAudio(new byte[160]);
    assertEquals(3, q.frames());

    OutboundAudio.Tick t1 = q.poll();
    assertEquals(160, t1.frame().length);
    assertEquals(List.of(), t1.marks());
    OutboundAudio.Tick t2 = q.poll();
    assertEquals((byte) 0xFF, t2.frame()[100], "the partial frame is padded with silence");
    assertEquals(List.of("m1"), t2.marks());
    q.poll();
    OutboundAudio.Tick idle = q.poll();
    assertNull(idle.frame());
  }

  @Test
  void clearReturnsPendingMarksAndDropsAudio() {
    OutboundAudio q = new OutboundAudio(100);
    q.addAudio(new byte[480]);
    q.addMark("a");
    q.addAudio(new byte[160]);
    q.addMark("b");
    assertEquals(List.of("a", "b"), q.clear());
    assertEquals(0, q.frames());
    assertNull(q.poll().frame());
  }

  @Test
  void fullQueueDropsTheOldestFrame() {
    OutboundAudio q = new OutboundAudio(2);
    byte[] audio = new byte[480];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i / 160);
    }
    q.addAudio(audio);
    assertEquals(2, q.frames());
    assertEquals(1, q.dropped());
    assertEquals(1, q.poll().frame()[0]);
  }

  @Test
  void appMessagesParseAndBadOnesAreRefused() {
    assertTrue(StreamMessages.parse("{\"event\":\"clear\"}") instanceof StreamMessages.Clear);
    assertEquals("x", ((StreamMessages.Mark) StreamMessages.parse(
        "{\"event\":\"mark\",\"mark\":{\"name\":\"x\"}}")).name());
    assertArrayEquals(new byte[] {1, 2}, ((StreamMessages.Media) StreamMessages.parse(
        "{\"event\":\"media\",\"media\":{\"payload\":\"AQI=\"}}")).ulaw());
    assertThrows(IllegalArgumentException.class, () -> StreamMessages.parse("not json"));
    assertThrows(IllegalArgumentException.class, () -> StreamMessages.parse("{\"event\":\"dance\"}"));
    assertThrows(IllegalArgumentException.class,
        () -> StreamMessages.parse("{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}"));
  }
}
