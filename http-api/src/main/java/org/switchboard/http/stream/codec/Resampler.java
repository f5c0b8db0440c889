package org.switchboard.http.stream.codec;

/**
 * Streaming sample-rate conversion of mono 16-bit audio between 8, 16 and 24 kHz (any pair of
 * positive rates with a small ratio works): a polyphase windowed-sinc low-pass
 * ({@link PolyphaseFilter}: passband to 0.43 × the lower rate, ≥ 60 dB stop-band attenuation
 * from the lower rate's Nyquist frequency, so downsampling does not alias and upsampling leaves
 * no images). Filter history and the output phase carry across calls, so a stream cut into 20 ms
 * frames gives exactly the samples the whole signal would, with no clicks at frame edges.
 *
 * <p>One instance per direction of one stream; not thread-safe.
 */
public final class Resampler {

  private final int inRate;
  private final int outRate;
  private final PolyphaseFilter filter;
  /** Previous {@code taps - 1} input samples followed by the current chunk. */
  private double[] work;
  /** Upsampled position of the next output sample, relative to the current chunk's start. */
  private long position;

  /**
   * A resampler from {@code inRate} to {@code outRate} (Hz).
   *
   * @throws IllegalArgumentException for non-positive rates
   */
  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.filter = inRate == outRate ? null : PolyphaseFilter.of(inRate, outRate);
    this.work = new double[filter == null ? 0 : filter.taps - 1 + 480];
  }

  /** Input rate in Hz. */
  public int inRate() {
    return inRate;
  }

  /** Output rate in Hz. */
  public int outRate() {
    return outRate;
  }

  /** The delay the filter adds, in seconds (0 when the rates are equal). */
  public double delaySeconds() {
    return filter == null ? 0 : filter.delayInputSamples / inRate;
  }

  /**
   * Converts the next {@code length} samples of the stream. The output holds every output sample
   * whose position falls inside the input seen so far; over a stream the counts add up to
   * {@code inputSamples × outRate / inRate} (exactly so for whole 20 ms frames between 8, 16 and
   * 24 kHz).
   */
  public short[] process(short[] in, int offset, int length) {
    if (filter == null) {
      short[] copy = new short[length];
      System.arraycopy(in, offset, copy, 0, length);
      return copy;
    }
    int history = filter.taps - 1;
    if (work.length < history + length) {
      double[] bigger = new double[history + length];
      System.arraycopy(work, 0, bigger, 0, history);
      work = bigger;
    }
    for (int i = 0; i < length; i++) {
      work[history + i] = in[offset + i];
    }
    int up = filter.up;
    int down = filter.down;
    long end = (long) up * length;
    int count = position >= end ? 0 : (int) ((end - position + down - 1) / down);
    short[] out = new short[count];
    double[][] phases = filter.phases;
    int taps = filter.taps;
    long t = position;
    for (int n = 0; n < count; n++, t += down) {
      int newest = history + (int) (t / up);
      double[] c = phases[(int) (t % up)];
      double acc = 0;
      for (int k = 0; k < taps; k++) {
        acc += c[k] * work[newest - k];
      }
      out[n] = clip(acc);
    }
    position = t - end;
    System.arraycopy(work, length, work, 0, history);
    return out;
  }

  /** Converts a whole chunk; see {@link #process(short[], int, int)}. */
  public short[] process(short[] in) {
    return process(in, 0, in.length);
  }

  private static short clip(double v) {
    long r = Math.round(v);
    return (short) (r > Short.MAX_VALUE ? Short.MAX_VALUE : r < Short.MIN_VALUE ? Short.MIN_VALUE : r);
  }
}
