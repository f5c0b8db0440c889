package org.switchboard.http.stream;

/** Measures test audio: decoding 16-bit PCM, energy, a tone's strength, correlation. */
public final class AudioProbe {

  private AudioProbe() {}

  /** 16-bit PCM, little- or big-endian, to samples. */
  public static short[] pcm(byte[] bytes, boolean bigEndian) {
    short[] out = new short[bytes.length / 2];
    for (int i = 0; i < out.length; i++) {
      int a = bytes[2 * i] & 0xFF;
      int b = bytes[2 * i + 1] & 0xFF;
      out[i] = (short) (bigEndian ? (a << 8) | b : (b << 8) | a);
    }
    return out;
  }

  /** Samples to 16-bit PCM. */
  public static byte[] bytes(short[] samples, boolean bigEndian) {
    byte[] out = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      byte hi = (byte) (samples[i] >> 8);
      byte lo = (byte) samples[i];
      out[2 * i] = bigEndian ? hi : lo;
      out[2 * i + 1] = bigEndian ? lo : hi;
    }
    return out;
  }

  /** A sine tone. */
  public static short[] tone(double hz, int rate, int samples, double amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  /** Root mean square of {@code samples}. */
  public static double rms(short[] samples) {
    double sum = 0;
    for (short s : samples) {
      sum += (double) s * s;
    }
    return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
  }

  /** The amplitude of the {@code hz} component (Goertzel), comparable to a sine's amplitude. */
  public static double toneAmplitude(short[] samples, double hz, int rate) {
    double w = 2 * Math.PI * hz / rate;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (short x : samples) {
      double s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return 2 * Math.sqrt(Math.max(0, power)) / Math.max(1, samples.length);
  }

  /** Resamples by linear interpolation (for comparing envelopes, not for playing). */
  public static short[] resample(short[] in, int from, int to) {
    int n = (int) ((long) in.length * to / from);
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      double pos = (double) i * from / to;
      int j = (int) pos;
      double frac = pos - j;
      int a = in[Math.min(j, in.length - 1)];
      int b = in[Math.min(j + 1, in.length - 1)];
      out[i] = (short) Math.round(a + (b - a) * frac);
    }
    return out;
  }

  /**
   * The best normalised correlation of the two signals' energy envelopes (10 ms windows) over
   * shifts up to {@code maxShiftWindows}: close to 1 when one is the other, delayed.
   */
  public static double envelopeCorrelation(short[] a, short[] b, int rate, int maxShiftWindows) {
    double[] ea = envelope(a, rate / 100);
    double[] eb = envelope(b, rate / 100);
    double best = -1;
    for (int shift = -maxShiftWindows; shift <= maxShiftWindows; shift++) {
      best = Math.max(best, correlation(ea, eb, shift));
    }
    return best;
  }

  private static double[] envelope(short[] samples, int window) {
    double[] out = new double[samples.length / window];
    for (int w = 0; w < out.length; w++) {
      double sum = 0;
      for (int i = 0; i < window; i++) {
        double s = samples[w * window + i];
        sum += s * s;
      }
      out[w] = Math.sqrt(sum / window);
    }
    return out;
  }

  private static double correlation(double[] a, double[] b, int shift) {
    int from = Math.max(0, -shift);
    int to = Math.min(a.length, b.length - shift);
    int n = to - from;
    if (n < 10) {
      return -1;
    }
    double ma = 0;
    double mb = 0;
    for (int i = from; i < to; i++) {
      ma += a[i];
      mb += b[i + shift];
    }
    ma /= n;
    mb /= n;
    double num = 0;
    double va = 0;
    double vb = 0;
    for (int i = from; i < to; i++) {
      double x = a[i] - ma;
      double y = b[i + shift] - mb;
      num += x * y;
      va += x * x;
      vb += y * y;
    }
    return va == 0 || vb == 0 ? -1 : num / Math.sqrt(va * vb);
  }
}
