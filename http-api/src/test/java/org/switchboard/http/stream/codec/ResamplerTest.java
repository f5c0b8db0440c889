package org.switchboard.http.stream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

  private static final double AMPLITUDE = 10000;

  /** Runs a whole signal through in 20 ms frames. */
  private static short[] resampleInFrames(short[] in, int inRate, int outRate) {
    Resampler r = new Resampler(inRate, outRate);
    int frame = inRate / 50;
    int total = 0;
    short[] all = new short[(int) ((long) in.length * outRate / inRate) + 16];
    for (int at = 0; at < in.length; at += frame) {
      short[] part = r.process(in, at, Math.min(frame, in.length - at));
      System.arraycopy(part, 0, all, total, part.length);
      total += part.length;
    }
    short[] result = new short[total];
    System.arraycopy(all, 0, result, 0, total);
    return result;
  }

  @ParameterizedTest
  @CsvSource({
    "8000,16000", "16000,8000", "8000,24000", "24000,8000", "16000,24000", "24000,16000"
  })
  void framesOf20msGiveExactly20msOut(int inRate, int outRate) {
    Resampler r = new Resampler(inRate, outRate);
    short[] frame = new short[inRate / 50];
    for (int i = 0; i < 7; i++) {
      assertEquals(outRate / 50, r.process(frame).length);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "8000,16000,1000", "8000,16000,3000", "16000,8000,1000", "16000,8000,3300",
    "8000,24000,2000", "24000,8000,400", "16000,24000,6000", "24000,16000,6500",
    "24000,16000,300"
  })
  void passbandToneKeepsItsAmplitudeAndArrivesAfterTheStatedDelay(int inRate, int outRate, int freq) {
    short[] out = resampleInFrames(Tones.sine(freq, inRate, 0.5, AMPLITUDE), inRate, outRate);
    double delay = new Resampler(inRate, outRate).delaySeconds();
    int from = outRate / 10;
    double[] measured = Tones.component(out, outRate, freq, from, out.length - outRate / 10);
    assertEquals(0, Tones.db(measured[0] / AMPLITUDE), 0.1, "passband gain in dB at " + freq);
    // a sine delayed by d has phase -2π f d
    double expectedPhase = -2 * Math.PI * freq * delay;
    double error = Math.IEEEremainder(measured[1] - expectedPhase, 2 * Math.PI);
    assertEquals(0, error, 0.02, "phase error (radians) against the stated delay " + delay);
    assertTrue(delay < 0.005, "delay " + delay + " s");
  }

  @ParameterizedTest
  @CsvSource({
    // downsampling: tones above the output's Nyquist frequency must not fold back into the band
    "16000,8000,4500", "16000,8000,6000", "24000,8000,5000", "24000,8000,10000",
    "24000,16000,9000", "24000,16000,11000"
  })
  void downsamplingAttenuatesWhatWouldAlias(int inRate, int outRate, int freq) {
    short[] out = resampleInFrames(Tones.sine(freq, inRate, 0.5, AMPLITUDE), inRate, outRate);
    double alias = Math.abs(freq - outRate * Math.round((double) freq / outRate));
    double[] measured = Tones.component(out, outRate, alias, outRate / 10, out.length - outRate / 10);
    double attenuation = -Tones.db(measured[0] / AMPLITUDE);
    assertTrue(attenuation >= 58, freq + " Hz aliased to " + alias + " Hz at -" + attenuation + " dB");
  }

  @ParameterizedTest
  @CsvSource({"8000,16000,1000", "8000,24000,1000", "16000,24000,2000", "8000,16000,3000"})
  void upsamplingLeavesNoImages(int inRate, int outRate, int freq) {
    short[] out = resampleInFrames(Tones.sine(freq, inRate, 0.5, AMPLITUDE), inRate, outRate);
    for (int k = 1; k * inRate - freq < outRate / 2; k++) {
      double image = k * inRate - freq;
      double[] measured =
          Tones.component(out, outRate, image, outRate / 10, out.length - outRate / 10);
      double attenuation = -Tones.db(measured[0] / AMPLITUDE);
      assertTrue(attenuation >= 58, "image at " + image + " Hz only -" + attenuation + " dB");
    }
  }

  @ParameterizedTest
  @CsvSource({"8000,24000", "24000,16000", "16000,8000"})
  void anyChunkingGivesTheSameSamples(int inRate, int outRate) {
    short[] in = Tones.sine(1234, inRate, 0.3, AMPLITUDE);
    short[] whole = new Resampler(inRate, outRate).process(in);
    Resampler r = new Resampler(inRate, outRate);
    short[] pieces = new short[whole.length + 8];
    int total = 0;
    int[] sizes = {1, 7, 160, 3, 333, 2};
    for (int at = 0, i = 0; at < in.length; i++) {
      int n = Math.min(sizes[i % sizes.length], in.length - at);
      short[] part = r.process(in, at, n);
      System.arraycopy(part, 0, pieces, total, part.length);
      total += part.length;
      at += n;
    }
    assertEquals(whole.length, total);
    short[] trimmed = new short[total];
    System.arraycopy(pieces, 0, trimmed, 0, total);
    assertArrayEquals(whole, trimmed);
  }

  @ParameterizedTest
  @CsvSource({"8000,16000", "24000,8000", "16000,24000"})
  void fullScaleStepClipsItsOvershootInsteadOfWrapping(int inRate, int outRate) {
    short[] in = new short[inRate / 10];
    for (int i = 0; i < in.length; i++) {
      in[i] = i < in.length / 2 ? Short.MIN_VALUE : Short.MAX_VALUE;
    }
    short[] out = new Resampler(inRate, outRate).process(in);
    int signChanges = 0;
    // from when the filter's history is full of the negative half to the end
    for (int i = out.length / 4 + 1; i < out.length; i++) {
      if ((out[i] < 0) != (out[i - 1] < 0)) {
        signChanges++;
      }
    }
    // the filter rings by ~9 % of the step around it: clipped, the sign changes once
    assertEquals(1, signChanges);
  }
}
