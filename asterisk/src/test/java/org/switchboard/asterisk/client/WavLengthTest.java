package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavLengthTest {

  /** A PCM WAVE file of 8 kHz 16-bit mono with {@code samples} samples; the header claims {@code claimed} data bytes. */
  private static byte[] wav(int samples, int claimed, boolean extraChunk) {
    int data = samples * 2;
    int extra = extraChunk ? 8 + 3 + 1 : 0;
    ByteBuffer b = ByteBuffer.allocate(44 + extra + data).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + extra + data).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
    if (extraChunk) {
      b.put("LIST".getBytes()).putInt(3).put(new byte[] {1, 2, 3, 0});
    }
    b.put("data".getBytes()).putInt(claimed);
    return b.array();
  }

  @Test
  void secondsFromTheDataChunkAndTheByteRate() {
    assertEquals(3, WavLength.seconds(wav(8000 * 3, 8000 * 3 * 2, false)));
    assertEquals(3, WavLength.seconds(wav(8000 * 26 / 10, 8000 * 26 / 10 * 2, false)));
    assertEquals(2, WavLength.seconds(wav(8000 * 2, 8000 * 2 * 2, true)), "odd chunk padded");
  }

  @Test
  void aDataSizeBeyondTheFileCountsOnlyTheBytesPresent() {
    assertEquals(1, WavLength.seconds(wav(8000, -1, false)));
  }

  @Test
  void notAWaveFileIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> WavLength.seconds(new byte[] {1, 2, 3}));
    byte[] noData = wav(0, 0, false);
    noData[36] = 'x';
    assertThrows(IllegalArgumentException.class, () -> WavLength.seconds(noData));
  }
}
