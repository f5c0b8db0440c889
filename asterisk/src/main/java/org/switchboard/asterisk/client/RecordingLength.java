package org.switchboard.asterisk.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The length of a stored recording, from its bytes: a RIFF/WAV header's byte rate and data chunk,
 * else the fixed byte rate of Asterisk's raw formats. Whole seconds rounded down, as Asterisk
 * reports {@code RecordingFinished.duration}; 0 when the format is unknown.
 */
final class RecordingLength {
  /** Bytes per second of Asterisk's headerless formats. */
  private static final Map<String, Integer> RAW_BYTE_RATES = Map.of(
      "ulaw", 8000, "alaw", 8000, "pcm", 8000, "g722", 8000, "gsm", 1650,
      "sln", 16000, "slin", 16000, "sln16", 32000, "g729", 1000);

  private RecordingLength() {}

  static int seconds(String format, byte[] bytes) {
    if (isRiff(bytes)) {
      return wavSeconds(bytes);
    }
    Integer rate = RAW_BYTE_RATES.get(format == null ? "" : format.toLowerCase(Locale.ROOT));
    return rate == null ? 0 : bytes.length / rate;
  }

  private static boolean isRiff(byte[] b) {
    return b.length >= 12
        && new String(b, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
        && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WAVE");
  }

  private static int wavSeconds(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long byteRate = 0;
    int at = 12;
    while (at + 8 <= bytes.length) {
      String id = new String(bytes, at, 4, StandardCharsets.US_ASCII);
      long size = Integer.toUnsignedLong(b.getInt(at + 4));
      int body = at + 8;
      if (id.equals("fmt ") && body + 12 <= bytes.length) {
        byteRate = Integer.toUnsignedLong(b.getInt(body + 8));
      } else if (id.equals("data")) {
        long data = Math.min(size, bytes.length - body);
        return byteRate <= 0 ? 0 : (int) (data / byteRate);
      }
      at = (int) Math.min(bytes.length, body + size + (size & 1));
    }
    return 0;
  }
}
