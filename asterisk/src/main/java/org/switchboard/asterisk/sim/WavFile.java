package org.switchboard.asterisk.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;

/** Writes 8 kHz mono 16-bit PCM WAV files and reads the duration of any PCM WAV. */
public final class WavFile {
  /** Sample rate of the files the simulator writes. */
  public static final int RATE = 8000;

  private WavFile() {}

  /**
   * A WAV of {@code slices} slices of {@code sliceMs} each: a 440 Hz tone where {@code talking} is
   * set, silence elsewhere.
   */
  public static byte[] render(BitSet talking, int slices, int sliceMs) {
    int samplesPerSlice = RATE * sliceMs / 1000;
    int samples = slices * samplesPerSlice;
    ByteBuffer b = header(samples * 2);
    for (int i = 0; i < samples; i++) {
      short v = 0;
      if (talking.get(i / samplesPerSlice)) {
        v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / RATE));
      }
      b.putShort(v);
    }
    return b.array();
  }

  /** A mono 16-bit WAV at {@code rate} of the first {@code bytes} of little-endian {@code pcm}. */
  static byte[] pcm(byte[] pcm, int bytes, int rate) {
    int n = Math.min(bytes, pcm.length) & ~1;
    ByteBuffer b = header(n, rate);
    b.put(pcm, 0, n);
    return b.array();
  }

  /**
   * The samples of a PCM 16-bit WAV (the first channel), resampled linearly to 16 kHz: what a
   * test makes the caller say (e.g. a file from espeak-ng).
   */
  public static short[] speech16k(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IllegalArgumentException("not a RIFF/WAVE file");
    }
    int pos = 12;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= wav.length) {
      int id = b.getInt(pos);
      long size = Integer.toUnsignedLong(b.getInt(pos + 4));
      if (id == 0x20746d66) { // "fmt "
        channels = b.getShort(pos + 10);
        rate = b.getInt(pos + 12);
        bits = b.getShort(pos + 22);
      } else if (id == 0x61746164) { // "data"
        if (bits != 16 || channels < 1 || rate <= 0) {
          throw new IllegalArgumentException("only 16-bit PCM WAV can be spoken");
        }
        int frames = (int) Math.min(size, wav.length - pos - 8L) / (2 * channels);
        short[] in = new short[frames];
        for (int i = 0; i < frames; i++) {
          in[i] = b.getShort(pos + 8 + i * 2 * channels);
        }
        int outLen = (int) ((long) frames * 16000 / rate);
        short[] out = new short[outLen];
        for (int i = 0; i < outLen; i++) {
          double x = (double) i * rate / 16000;
          int j = (int) x;
          double frac = x - j;
          double a = in[Math.min(j, frames - 1)];
          double c = in[Math.min(j + 1, frames - 1)];
          out[i] = (short) Math.round(a + (c - a) * frac);
        }
        return out;
      }
      pos += 8 + (int) size + (int) (size & 1);
    }
    throw new IllegalArgumentException("no data chunk in the WAV");
  }

  private static ByteBuffer header(int dataBytes) {
    return header(dataBytes, RATE);
  }

  private static ByteBuffer header(int dataBytes, int rate) {
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2);
    b.putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
    return b;
  }

  /** The duration of a RIFF/WAVE file from its header, empty when it is not one. */
  public static Optional<Duration> duration(byte[] wav) {
    if (wav.length < 12 || !new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)
        .equals("RIFF") || !new String(wav, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)
        .equals("WAVE")) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 12;
    long byteRate = 0;
    while (pos + 8 <= wav.length) {
      String id = new String(wav, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
      long size = Integer.toUnsignedLong(b.getInt(pos + 4));
      if (id.equals("fmt ") && pos + 16 <= wav.length) {
        byteRate = Integer.toUnsignedLong(b.getInt(pos + 16));
      } else if (id.equals("data") && byteRate > 0) {
        long bytes = Math.min(size, wav.length - pos - 8L);
        return Optional.of(Duration.ofNanos(bytes * 1_000_000_000L / byteRate));
      }
      pos += 8 + (int) size + (int) (size & 1);
    }
    return Optional.empty();
  }
}
