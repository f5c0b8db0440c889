package org.switchboard.http.stream.codec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coefficients of a rational resampler {@code up/down}: a Kaiser-windowed sinc low-pass at
 * the upsampled rate, split into {@code up} phases of {@code taps} coefficients each (each
 * scaled by {@code up}, so the passband gain is 1). Immutable and shared by every stream with the
 * same pair of rates.
 *
 * <p>Design: passband edge 0.43 × the lower rate (3.44 kHz when either side is 8 kHz), stop-band
 * edge at the lower rate's Nyquist frequency, {@value #STOP_BAND_DB} dB stop-band attenuation
 * (Kaiser's formulas for β and the length).
 */
final class PolyphaseFilter {

  /** Stop-band attenuation the filter is designed for. */
  static final double STOP_BAND_DB = 60;

  private static final double PASS_EDGE = 0.43;
  private static final double STOP_EDGE = 0.5;
  private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

  final int up;
  final int down;
  final int taps;
  /** {@code phases[p][k]}: the k-th coefficient of phase p, applied to the input k samples back. */
  final double[][] phases;
  /** Group delay of the filter in input samples. */
  final double delayInputSamples;

  private PolyphaseFilter(int inRate, int outRate) {
    int g = gcd(inRate, outRate);
    up = outRate / g;
    down = inRate / g;
    double upRate = (double) inRate * up;
    int lower = Math.min(inRate, outRate);
    double pass = PASS_EDGE * lower / upRate;
    double stop = STOP_EDGE * lower / upRate;
    double cutoff = (pass + stop) / 2;
    double transition = 2 * Math.PI * (stop - pass);
    int length = (int) Math.ceil((STOP_BAND_DB - 8) / (2.285 * transition)) + 1;
    taps = (length + up - 1) / up;
    int n = taps * up;
    double beta = 0.1102 * (STOP_BAND_DB - 8.7);
    double centre = (n - 1) / 2.0;
    double[] h = new double[n];
    for (int m = 0; m < n; m++) {
      double x = m - centre;
      double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      double r = x / (centre + 0.5);
      h[m] = sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta);
    }
    phases = new double[up][taps];
    for (int p = 0; p < up; p++) {
      for (int k = 0; k < taps; k++) {
        phases[p][k] = h[k * up + p] * up;
      }
    }
    delayInputSamples = centre / up;
  }

  /** The shared filter from {@code inRate} to {@code outRate}. */
  static PolyphaseFilter of(int inRate, int outRate) {
    return CACHE.computeIfAbsent(
        ((long) inRate << 32) | outRate, k -> new PolyphaseFilter(inRate, outRate));
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
