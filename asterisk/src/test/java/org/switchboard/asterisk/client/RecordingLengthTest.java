package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class RecordingLengthTest {
  /** A WAV with a LIST chunk before the data, as some writers put one. */
  private static byte[] wav(int sampleRate, int channels, int bits, int dataBytes) {
    int byteRate = sampleRate * channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(12 + 24 + 12 + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(byteRate).putShort((short) (channels * bits / 8))
        .putShort((short) bits);
    b.put("LIST".getBytes()).putInt(4).put("INFO".getBytes());
    b.put("data".getBytes()).putInt(dataBytes);
    return b.array();
  }

  @Test
  void wavLengthComesFromByteRateAndDataChunkRoundedDown() {
    assertEquals(2, RecordingLength.seconds("wav", wav(8000, 1, 16, 16000 * 2 + 15999)));
    assertEquals(1, RecordingLength.seconds("wav16", wav(16000, 1, 16, 32000)));
    assertEquals(0, RecordingLength.seconds("wav", wav(8000, 1, 16, 100)));
  }

  @Test
  void aTruncatedDataChunkCountsOnlyTheBytesPresent() {
    byte[] full = wav(8000, 1, 16, 48000);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 20000);
    assertEquals(1, RecordingLength.seconds("wav", cut));
  }

  @Test
  void rawFormatsUseAsterisksByteRatesAndUnknownOnesGiveZero() {
    assertEquals(3, RecordingLength.seconds("ulaw", new byte[24000]));
    assertEquals(2, RecordingLength.seconds("gsm", new byte[3300]));
    assertEquals(1, RecordingLength.seconds("sln16", new byte[32000]));
    assertEquals(0, RecordingLength.seconds("mp3", new byte[32000]));
    assertEquals(0, RecordingLength.seconds(null, new byte[32000]));
  }
}
