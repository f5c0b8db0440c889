package org.switchboard.http.audio;

/**
 * Sample-rate conversion by band-limited interpolation: each output sample is a
 * Blackman-windowed sinc sum over the neighbouring input samples, with the cut-off at the lower
 * of the two Nyquist frequencies, so downsampling (e.g. espeak's 22050 Hz to 8000 Hz) does not
 * alias.
 */
public final class Resampler {

  /** Zero crossings of the sinc on each side, at the cut-off frequency. */
  private static final int ZERO_CROSSINGS = 12;

  private Resampler() {}

  /** Resamples mono 16-bit samples from {@code inRate} to {@code outRate}. */
  public static short[] resample(short[] in, int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
    }
    if (inRate == outRate || in.length == 0) {
      return in.clone();
    }
    double step = (double) inRate / outRate;
    double cutoff = Math.min(1.0, (double) outRate / inRate) * 0.95;
    double halfWidth = ZERO_CROSSINGS / cutoff;
    int outLength = (int) Math.floor(in.length / step);
    short[] out = new short[outLength];
    for (int n = 0; n < outLength; n++) {
      double t = n * step;
      int first = (int) Math.ceil(t - halfWidth);
      int last = (int) Math.floor(t + halfWidth);
      double acc = 0;
      double weights = 0;
      for (int k = Math.max(0, first); k <= Math.min(in.length - 1, last); k++) {
        double x = k - t;
        double w = cutoff * sinc(cutoff * x) * blackman(x / halfWidth);
        acc += w * in[k];
        weights += w;
      }
      out[n] = clip(weights == 0 ? 0 : acc / weights);
    }
    return out;
  }

  static short clip(double value) {
    long v = Math.round(value);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }

  /** Blackman window over {@code u} in [-1, 1]. */
  private static double blackman(double u) {
    if (u <= -1 || u >= 1) {
      return 0;
    }
    double a = Math.PI * (u + 1);
    return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
  }
}
