package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Two mono recordings, one per party, as one stereo WAV. */
class StereoWavTest {

  @Test
  void theFirstIsLeftTheSecondRightAndTheShorterIsPaddedWithSilence() throws Exception {
    byte[] left = WavCodec.encodeWav(new Pcm(8000, new short[] {100, 200, 300}));
    byte[] right = WavCodec.encodeWav(new Pcm(8000, new short[] {-5, -6}));
    ByteBuffer wav = ByteBuffer.wrap(StereoWav.merge(left, right)).order(ByteOrder.LITTLE_ENDIAN);

    assertEquals(1, wav.getShort(20), "PCM");
    assertEquals(2, wav.getShort(22), "two channels");
    assertEquals(8000, wav.getInt(24));
    assertEquals(8000 * 4, wav.getInt(28), "byte rate");
    assertEquals(4, wav.getShort(32), "block align");
    assertEquals(16, wav.getShort(34));
    assertEquals(3 * 4, wav.getInt(40), "three frames");
    short[] frames = new short[6];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = wav.getShort(44 + 2 * i);
    }
    assertEquals("[100, -5, 200, -6, 300, 0]", java.util.Arrays.toString(frames));
    // A stereo file is read back (mixed down) by the project's own decoder.
    assertEquals(3, WavCodec.decodeWav(wav.array()).samples().length);
  }

  @Test
  void theSecondTakesTheRateOfTheFirst() throws Exception {
    byte[] left = WavCodec.encodeWav(new Pcm(8000, new short[800]));
    byte[] right = WavCodec.encodeWav(new Pcm(16000, new short[1600]));
    ByteBuffer wav = ByteBuffer.wrap(StereoWav.merge(left, right)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8000, wav.getInt(24));
    int resampled = Resampler.resample(new short[1600], 16000, 8000).length;
    assertEquals(Math.max(800, resampled) * 4, wav.getInt(40), "0.1 s at 8 kHz");
  }

  @Test
  void whatIsNotAWavIsRefused() {
    byte[] left = WavCodec.encodeWav(new Pcm(8000, new short[] {1}));
    assertThrows(AudioFormatException.class, () -> StereoWav.merge(left, new byte[] {1, 2, 3}));
  }
}
