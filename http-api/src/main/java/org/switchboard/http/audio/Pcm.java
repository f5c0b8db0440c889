package org.switchboard.http.audio;

/**
 * Mono 16-bit linear PCM audio.
 *
 * @param sampleRate samples per second
 * @param samples the samples
 */
public record Pcm(int sampleRate, short[] samples) {

  /** Validates the rate. */
  public Pcm {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }
  }

  /** Length in seconds. */
  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }

  /** Root mean square level, 0 (silence) to 32768. */
  public double rms() {
    if (samples.length == 0) {
      return 0;
    }
    double sum = 0;
    for (short s : samples) {
      sum += (double) s * s;
    }
    return Math.sqrt(sum / samples.length);
  }

  /** This audio at {@code rate}, resampled if needed. */
  public Pcm resampledTo(int rate) {
    return rate == sampleRate ? this : new Pcm(rate, Resampler.resample(samples, sampleRate, rate));
  }
}
