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

  private static ByteBuffer header(int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2);
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
