package org.switchboard.http.stream.codec;

import org.switchboard.http.audio.G711;

/**
 * Converts one direction of a stream from one {@link AudioFormat} to another, frame by frame:
 * decode to 16-bit samples, {@link Resampler resample} when the rates differ, encode. State
 * (filter history, a PCM byte split across two frames) carries from one call to the next, so
 * the frames of a stream convert exactly like the whole stream would. Between equal formats the
 * bytes are passed through unchanged (copied).
 *
 * <p>One instance per direction of one stream; not thread-safe.
 */
public final class FormatConverter {

  private final AudioFormat from;
  private final AudioFormat to;
  private final Resampler resampler;
  /** The odd byte of a 16-bit sample whose second byte has not arrived yet, or -1. */
  private int pendingByte = -1;

  /** A converter from {@code from} to {@code to}. */
  public FormatConverter(AudioFormat from, AudioFormat to) {
    this.from = from;
    this.to = to;
    this.resampler =
        from.sampleRate() == to.sampleRate() ? null : new Resampler(from.sampleRate(), to.sampleRate());
  }

  /** The input format. */
  public AudioFormat from() {
    return from;
  }

  /** The output format. */
  public AudioFormat to() {
    return to;
  }

  /** True when {@link #convert} only copies. */
  public boolean isIdentity() {
    return from.equals(to);
  }

  /** The delay resampling adds, in seconds (0 without resampling). */
  public double delaySeconds() {
    return resampler == null ? 0 : resampler.delaySeconds();
  }

  /** Converts the whole array; see {@link #convert(byte[], int, int)}. */
  public byte[] convert(byte[] audio) {
    return convert(audio, 0, audio.length);
  }

  /**
   * Converts the next {@code length} bytes of the stream. A 20 ms frame in gives a 20 ms frame
   * out; an odd PCM16 byte count keeps the last byte for the next call.
   */
  public byte[] convert(byte[] audio, int offset, int length) {
    if (isIdentity() && pendingByte < 0 && (from.bytesPerSample() == 1 || length % 2 == 0)) {
      byte[] copy = new byte[length];
      System.arraycopy(audio, offset, copy, 0, length);
      return copy;
    }
    short[] samples = decode(audio, offset, length);
    if (resampler != null) {
      samples = resampler.process(samples);
    }
    return encode(samples, to.encoding());
  }

  /** Decodes {@code length} bytes of the input format to samples. */
  private short[] decode(byte[] audio, int offset, int length) {
    if (from.encoding() == AudioFormat.Encoding.MULAW) {
      return G711.decodeUlaw(audio, offset, length);
    }
    boolean little = from.encoding() == AudioFormat.Encoding.PCM16_LE;
    int available = length + (pendingByte >= 0 ? 1 : 0);
    short[] out = new short[available / 2];
    int at = offset;
    int n = 0;
    if (pendingByte >= 0 && length > 0) {
      out[n++] = sample(pendingByte, audio[at++] & 0xFF, little);
      pendingByte = -1;
    }
    int end = offset + length;
    for (; at + 1 < end; at += 2) {
      out[n++] = sample(audio[at] & 0xFF, audio[at + 1] & 0xFF, little);
    }
    if (at < end) {
      pendingByte = audio[at] & 0xFF;
    }
    return out;
  }

  private static short sample(int first, int second, boolean little) {
    return little ? (short) (first | (second << 8)) : (short) ((first << 8) | second);
  }

  /** Encodes samples in {@code encoding}. */
  public static byte[] encode(short[] samples, AudioFormat.Encoding encoding) {
    switch (encoding) {
      case MULAW:
        return G711.encodeUlaw(samples);
      case PCM16_LE:
        {
          byte[] out = new byte[samples.length * 2];
          for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
          }
          return out;
        }
      default:
        {
          byte[] out = new byte[samples.length * 2];
          for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) (samples[i] >> 8);
            out[2 * i + 1] = (byte) samples[i];
          }
          return out;
        }
    }
  }

  /** Decodes a whole buffer in {@code format} to samples (stateless; an odd last byte is dropped). */
  public static short[] decode(byte[] audio, AudioFormat format) {
    return new FormatConverter(format, format).decode(audio, 0, audio.length);
  }
}
