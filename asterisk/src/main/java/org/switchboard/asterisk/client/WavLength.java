package org.switchboard.asterisk.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The length of a RIFF/WAVE file, from its {@code fmt } chunk's byte rate and its {@code data}
 * chunk's size. A {@code data} size larger than what follows (a header written before the end
 * of the recording) is cut to the bytes present.
 */
final class WavLength {
  private WavLength() {}

  /**
   * Whole seconds of audio in {@code wav}, rounded to the nearest second as Asterisk reports a
   * recording's duration.
   *
   * @throws IllegalArgumentException when {@code wav} is not a PCM WAVE file with a data chunk
   */
  static int seconds(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IllegalArgumentException("not a RIFF/WAVE file (" + wav.length + " bytes)");
    }
    long byteRate = 0;
    int at = 12;
    while (at + 8 <= wav.length) {
      int id = b.getInt(at);
      long size = Integer.toUnsignedLong(b.getInt(at + 4));
      int body = at + 8;
      if (id == 0x20746d66 && body + 12 <= wav.length) { // "fmt "
        byteRate = Integer.toUnsignedLong(b.getInt(body + 8));
      } else if (id == 0x61746164) { // "data"
        if (byteRate <= 0) {
          throw new IllegalArgumentException("WAVE data chunk before a usable fmt chunk");
        }
        long bytes = Math.min(size, wav.length - body);
        return (int) Math.round((double) bytes / byteRate);
      }
      at = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
    }
    throw new IllegalArgumentException("WAVE file without a data chunk");
  }
}
