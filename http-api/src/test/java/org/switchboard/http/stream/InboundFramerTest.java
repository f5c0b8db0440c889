package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The re-framing of inbound audio into Twilio's 20 ms, 160-byte media frames. */
class InboundFramerTest {

  @Test
  void shortPacketsWhereAPlaybackChangesFileBecomeWholeFrames() {
    InboundFramer framer = new InboundFramer(8000);
    List<InboundFramer.Frame> frames = new ArrayList<>();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    long ts = 1_000;
    // As Asterisk sends it: whole frames, a 41-byte tail of one file, then the next file.
    for (int len : new int[] {160, 160, 41, 160, 160, 39, 160, 45, 160}) {
      byte[] packet = bytes(len, sent.size());
      sent.writeBytes(packet);
      frames.addAll(framer.add(ts, packet));
      ts += len;
    }
    framer.flush().ifPresent(frames::add);
    byte[] all = sent.toByteArray();
    for (int i = 0; i < frames.size(); i++) {
      InboundFramer.Frame f = frames.get(i);
      assertEquals(160, f.ulaw().length, "frame " + i);
      assertEquals(i + 1, f.chunk());
      assertEquals(20L * i, f.timestampMillis());
    }
    assertEquals((all.length + 159) / 160, frames.size());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    frames.forEach(f -> received.writeBytes(f.ulaw()));
    byte[] got = received.toByteArray();
    assertArrayEquals(all, java.util.Arrays.copyOf(got, all.length), "no byte lost or moved");
    for (int i = all.length; i < got.length; i++) {
      assertEquals(InboundFramer.SILENCE, got[i], "the last frame is padded with silence");
    }
  }

  @Test
  void timestampsDriftingWithinAFrameDoNotBreakTheFraming() {
    InboundFramer framer = new InboundFramer(8000);
    List<InboundFramer.Frame> frames = new ArrayList<>();
    frames.addAll(framer.add(0, bytes(41, 0)));
    // Asterisk stamped the next packet a whole 20 ms after the short one.
    frames.addAll(framer.add(160, bytes(160, 41)));
    frames.addAll(framer.add(320, bytes(160, 201)));
    assertEquals(2, frames.size());
    assertEquals(0, frames.get(0).timestampMillis());
    assertEquals(20, frames.get(1).timestampMillis());
  }

  @Test
  void aGapOfSilenceResumesAtThePacketsOwnTime() {
    InboundFramer framer = new InboundFramer(8000);
    List<InboundFramer.Frame> frames = new ArrayList<>(framer.add(0, bytes(100, 0)));
    frames.addAll(framer.add(8000, bytes(160, 100)));
    assertEquals(2, frames.size());
    assertEquals(0, frames.get(0).timestampMillis());
    assertEquals(InboundFramer.SILENCE, frames.get(0).ulaw()[159]);
    assertEquals(1000, frames.get(1).timestampMillis(), "one second later");
    assertEquals(2, frames.get(1).chunk());
  }

  @Test
  void aNewRtpSourceCarriesOnFromTheNextFrame() {
    InboundFramer framer = new InboundFramer(8000);
    List<InboundFramer.Frame> frames = new ArrayList<>(framer.add(500_000, bytes(160, 0)));
    frames.addAll(framer.add(7, bytes(160, 160)));
    frames.addAll(framer.add(167, bytes(160, 320)));
    assertEquals(List.of(0L, 20L, 40L), frames.stream().map(InboundFramer.Frame::timestampMillis).toList());
  }

  @Test
  void slin16TimestampsCountAt16kHz() {
    InboundFramer framer = new InboundFramer(16000);
    List<InboundFramer.Frame> frames = new ArrayList<>(framer.add(0, bytes(160, 0)));
    frames.addAll(framer.add(320, bytes(160, 0)));
    frames.addAll(framer.add(640 + 16000, bytes(160, 0)));
    assertEquals(List.of(0L, 20L, 1040L), frames.stream().map(InboundFramer.Frame::timestampMillis).toList());
    assertTrue(framer.flush().isEmpty());
  }

  private static byte[] bytes(int len, int start) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) ((start + i) % 251);
    }
    return b;
  }
}
