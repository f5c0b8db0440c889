package org.switchboard.http.stream;

import org.switchboard.http.audio.G711;

/**
 * Converts between Asterisk's slin16 (16 kHz, 16-bit big-endian) and the application's µ-law
 * 8 kHz, frame by frame, with a windowed-sinc low-pass FIR whose history carries across frames
 * (so frame edges add no clicks). One instance per direction of one stream.
 */
public final class Slin16Transcoder {

  private static final double[] TAPS = lowPass(31, 3600.0 / 16000.0);

  private final double[] history = new double[TAPS.length];
  private int head;

  /** 16 kHz big-endian PCM to 8 kHz µ-law (half as many samples). */
  public byte[] slin16ToUlaw(byte[] slin, int offset, int length) {
    int samples = length / 2;
    byte[] out = new byte[samples / 2];
    for (int i = 0; i + 1 < samples && i / 2 < out.length; i += 2) {
      push(readBe(slin, offset + 2 * i));
      push(readBe(slin, offset + 2 * i + 2));
      out[i / 2] = G711.linearToUlaw(clip(filtered()));
    }
    return out;
  }

  /** 8 kHz µ-law to 16 kHz big-endian PCM (twice as many samples). */
  public byte[] ulawToSlin16(byte[] ulaw) {
    byte[] out = new byte[ulaw.length * 4];
    for (int i = 0; i < ulaw.length; i++) {
      push(G711.ulawToLinear(ulaw[i]));
      writeBe(out, 4 * i, clip(2 * filtered()));
      push(0);
      writeBe(out, 4 * i + 2, clip(2 * filtered()));
    }
    return out;
  }

  private void push(double sample) {
    history[head] = sample;
    head = (head + 1) % history.length;
  }

  private double filtered() {
    double acc = 0;
    int idx = head;
    for (int k = TAPS.length - 1; k >= 0; k--) {
      acc += TAPS[k] * history[idx];
      idx = (idx + 1) % history.length;
    }
    return acc;
  }

  private static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }

  private static short readBe(byte[] b, int at) {
    return (short) ((b[at] << 8) | (b[at + 1] & 0xFF));
  }

  private static void writeBe(byte[] b, int at, short v) {
    b[at] = (byte) (v >> 8);
    b[at + 1] = (byte) v;
  }

  private static double[] lowPass(int n, double cutoff) {
    double[] h = new double[n];
    double sum = 0;
    int m = n - 1;
    for (int i = 0; i < n; i++) {
      double x = i - m / 2.0;
      double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      double window = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / m) + 0.08 * Math.cos(4 * Math.PI * i / m);
      h[i] = sinc * window;
      sum += h[i];
    }
    for (int i = 0; i < n; i++) {
      h[i] /= sum;
    }
    return h;
  }
}
