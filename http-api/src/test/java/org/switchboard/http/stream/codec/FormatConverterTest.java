package org.switchboard.http.stream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatConverterTest {

  private static final AudioFormat[] ALL = {
    AudioFormat.MULAW_8K,
    AudioFormat.PCM16_8K,
    AudioFormat.PCM16_16K,
    AudioFormat.PCM16_24K,
    AudioFormat.L16_16K
  };

  @Test
  void everyPairTurns20msFramesInto20msFramesAndKeepsATone() {
    for (AudioFormat from : ALL) {
      for (AudioFormat to : ALL) {
        FormatConverter c = new FormatConverter(from, to);
        byte[] in =
            FormatConverter.encode(Tones.sine(1000, from.sampleRate(), 0.4, 8000), from.encoding());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < in.length; at += from.frameBytes()) {
          byte[] frame = c.convert(in, at, from.frameBytes());
          assertEquals(to.frameBytes(), frame.length, from + " -> " + to);
          out.writeBytes(frame);
        }
        short[] samples = FormatConverter.decode(out.toByteArray(), to);
        double[] tone =
            Tones.component(samples, to.sampleRate(), 1000, to.sampleRate() / 10, samples.length);
        // µ-law on either side costs up to ~0.2 dB; the filter itself less than 0.01 dB
        assertEquals(0, Tones.db(tone[0] / 8000), 0.25, from + " -> " + to);
      }
    }
  }

  @Test
  void pcmByteOrder() {
    short[] samples = {0x1234, -2};
    byte[] le = FormatConverter.encode(samples, AudioFormat.Encoding.PCM16_LE);
    assertArrayEquals(new byte[] {0x34, 0x12, (byte) 0xFE, (byte) 0xFF}, le);
    byte[] be = new FormatConverter(AudioFormat.PCM16_16K, AudioFormat.L16_16K).convert(le);
    assertArrayEquals(new byte[] {0x12, 0x34, (byte) 0xFF, (byte) 0xFE}, be);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5})
  void aSampleSplitAcrossFramesIsKept(int split) {
    short[] samples = Tones.sine(700, 16000, 0.01, 5000);
    byte[] le = FormatConverter.encode(samples, AudioFormat.Encoding.PCM16_LE);
    FormatConverter c = new FormatConverter(AudioFormat.PCM16_16K, AudioFormat.L16_16K);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(c.convert(le, 0, split));
    out.writeBytes(c.convert(le, split, le.length - split));
    assertArrayEquals(FormatConverter.encode(samples, AudioFormat.Encoding.PCM16_BE), out.toByteArray());
  }
}
