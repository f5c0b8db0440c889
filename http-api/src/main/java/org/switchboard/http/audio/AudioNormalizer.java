package org.switchboard.http.audio;

import java.util.Locale;

/**
 * Turns fetched or synthesized audio (WAV in any common encoding, .au, raw µ-law, MP3) into the
 * one format Switchboard hands to Asterisk: mono 16-bit PCM WAV at the configured rate.
 */
public final class AudioNormalizer {

  private final int targetRate;

  /** Normalizes to {@code targetRate} Hz (8000 or 16000). */
  public AudioNormalizer(int targetRate) {
    this.targetRate = targetRate;
  }

  /** The configured output rate. */
  public int targetRate() {
    return targetRate;
  }

  /**
   * Decodes {@code data}, recognised by its magic bytes first and by {@code contentType} (may be
   * null) for headerless µ-law, and returns the normalized WAV file.
   */
  public byte[] normalize(byte[] data, String contentType) throws AudioFormatException {
    return WavCodec.encodeWav(decode(data, contentType).resampledTo(targetRate));
  }

  /** Decodes {@code data} to mono PCM at its own rate. */
  public static Pcm decode(byte[] data, String contentType) throws AudioFormatException {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (data.length == 0) {
      throw new AudioFormatException("empty audio body");
    }
    if (WavCodec.isWav(data)) {
      return WavCodec.decodeWav(data);
    }
    if (WavCodec.isAu(data)) {
      return WavCodec.decodeAu(data);
    }
    if (type.startsWith("audio/basic") || type.startsWith("audio/ulaw")
        || type.startsWith("audio/x-mulaw") || type.startsWith("audio/mulaw")) {
      return WavCodec.decodeRawUlaw(data);
    }
    if (Mp3Decoder.isMp3(data) || type.startsWith("audio/mpeg") || type.startsWith("audio/mp3")) {
      return Mp3Decoder.decode(data);
    }
    throw new AudioFormatException("unrecognised audio (content type '" + contentType
        + "', first bytes " + hexPrefix(data) + "); expected WAV, MP3, .au or µ-law");
  }

  private static String hexPrefix(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, data.length); i++) {
      sb.append(String.format("%02x", data[i] & 0xFF));
    }
    return sb.toString();
  }
}
