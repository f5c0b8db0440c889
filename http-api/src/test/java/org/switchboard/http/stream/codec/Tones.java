package org.switchboard.http.stream.codec;

/** Test tones and their measurement. */
final class Tones {

  private Tones() {}

  /** {@code seconds} of a sine at {@code freq} Hz, amplitude {@code amplitude}, phase 0. */
  static short[] sine(double freq, int rate, double seconds, double amplitude) {
    short[] out = new short[(int) Math.round(rate * seconds)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return out;
  }

  /**
   * Amplitude and phase of the {@code freq} component of {@code x[from..to)} (a least-squares fit
   * of a sine and a cosine over whole periods is close enough when the window holds many).
   *
   * @return {amplitude, phase in radians}
   */
  static double[] component(short[] x, int rate, double freq, int from, int to) {
    double s = 0;
    double c = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freq * i / rate;
      s += x[i] * Math.sin(w);
      c += x[i] * Math.cos(w);
    }
    int n = to - from;
    return new double[] {2 * Math.hypot(s, c) / n, Math.atan2(c, s)};
  }

  /** The ratio in dB. */
  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }
}
