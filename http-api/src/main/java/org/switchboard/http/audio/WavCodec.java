package org.switchboard.http.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads RIFF/WAVE files (PCM 8/16/24/32-bit, IEEE float, µ-law, A-law, WAVE_FORMAT_EXTENSIBLE)
 * and Sun/NeXT {@code .au} files into mono {@link Pcm}; writes mono 16-bit PCM WAV.
 */
public final class WavCodec {

  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_ALAW = 6;
  private static final int FORMAT_ULAW = 7;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  private WavCodec() {}

  /** True when {@code data} starts like a RIFF/WAVE file. */
  public static boolean isWav(byte[] data) {
    return data.length >= 12 && ascii(data, 0).equals("RIFF") && ascii(data, 8).equals("WAVE");
  }

  /** True when {@code data} starts like a Sun/NeXT {@code .au} file. */
  public static boolean isAu(byte[] data) {
    return data.length >= 24 && ascii(data, 0).equals(".snd");
  }

  /** Decodes a WAV file, mixing all channels down to mono. */
  public static Pcm decodeWav(byte[] data) throws AudioFormatException {
    if (!isWav(data)) {
      throw new AudioFormatException("not a RIFF/WAVE file");
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 12;
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= data.length) {
      String id = ascii(data, pos);
      long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
      int body = pos + 8;
      if (id.equals("fmt ")) {
        if (size < 16 || body + 16 > data.length) {
          throw new AudioFormatException("WAV fmt chunk too short");
        }
        format = buf.getShort(body) & 0xFFFF;
        channels = buf.getShort(body + 2) & 0xFFFF;
        rate = buf.getInt(body + 4);
        bits = buf.getShort(body + 14) & 0xFFFF;
        if (format == FORMAT_EXTENSIBLE) {
          if (size < 40 || body + 26 > data.length) {
            throw new AudioFormatException("WAV extensible fmt chunk too short");
          }
          format = buf.getShort(body + 24) & 0xFFFF;
        }
      } else if (id.equals("data")) {
        if (format < 0) {
          throw new AudioFormatException("WAV data chunk before fmt chunk");
        }
        // Streamed WAVs (espeak-ng --stdout) carry a placeholder size: trust the bytes present.
        int length = (int) Math.min(size, data.length - body);
        return decodeSamples(data, body, length, format, channels, rate, bits, ByteOrder.LITTLE_ENDIAN);
      }
      pos = body + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - body);
    }
    throw new AudioFormatException("WAV file has no data chunk");
  }

  /** Decodes a Sun/NeXT {@code .au} file (µ-law, A-law, 8/16-bit linear). */
  public static Pcm decodeAu(byte[] data) throws AudioFormatException {
    if (!isAu(data)) {
      throw new AudioFormatException("not an .au file");
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    int offset = buf.getInt(4);
    long size = Integer.toUnsignedLong(buf.getInt(8));
    int encoding = buf.getInt(12);
    int rate = buf.getInt(16);
    int channels = buf.getInt(20);
    if (offset < 24 || offset > data.length) {
      throw new AudioFormatException("bad .au data offset " + offset);
    }
    int length = (int) Math.min(size, data.length - offset);
    return switch (encoding) {
      case 1 -> decodeSamples(data, offset, length, FORMAT_ULAW, channels, rate, 8, ByteOrder.BIG_ENDIAN);
      case 27 -> decodeSamples(data, offset, length, FORMAT_ALAW, channels, rate, 8, ByteOrder.BIG_ENDIAN);
      case 2 -> decodeSamples(data, offset, length, -8, channels, rate, 8, ByteOrder.BIG_ENDIAN);
      case 3 -> decodeSamples(data, offset, length, FORMAT_PCM, channels, rate, 16, ByteOrder.BIG_ENDIAN);
      default -> throw new AudioFormatException("unsupported .au encoding " + encoding);
    };
  }

  /** Raw headerless µ-law at 8000 Hz ({@code audio/basic}, {@code audio/ulaw}). */
  public static Pcm decodeRawUlaw(byte[] data) {
    return new Pcm(8000, G711.decodeUlaw(data, 0, data.length));
  }

  /** Encodes mono 16-bit PCM as a canonical 44-byte-header WAV file. */
  public static byte[] encodeWav(Pcm pcm) {
    int dataBytes = pcm.samples().length * 2;
    ByteBuffer buf = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes);
    buf.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
    buf.putShort((short) FORMAT_PCM).putShort((short) 1).putInt(pcm.sampleRate());
    buf.putInt(pcm.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
    buf.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
    for (short s : pcm.samples()) {
      buf.putShort(s);
    }
    return buf.array();
  }

  private static Pcm decodeSamples(
      byte[] data, int offset, int length, int format, int channels, int rate, int bits,
      ByteOrder order) throws AudioFormatException {
    if (channels < 1 || channels > 16) {
      throw new AudioFormatException("unsupported channel count " + channels);
    }
    if (rate < 1000 || rate > 384_000) {
      throw new AudioFormatException("implausible sample rate " + rate);
    }
    int bytesPerSample = switch (format) {
      case FORMAT_ULAW, FORMAT_ALAW, -8 -> 1;
      case FORMAT_PCM -> switch (bits) {
        case 8, 16, 24, 32 -> bits / 8;
        default -> throw new AudioFormatException("unsupported PCM bit depth " + bits);
      };
      case FORMAT_FLOAT -> switch (bits) {
        case 32, 64 -> bits / 8;
        default -> throw new AudioFormatException("unsupported float bit depth " + bits);
      };
      default -> throw new AudioFormatException(
          "unsupported WAV encoding 0x" + Integer.toHexString(format));
    };
    int frameBytes = bytesPerSample * channels;
    int frames = length / frameBytes;
    ByteBuffer buf = ByteBuffer.wrap(data).order(order);
    short[] out = new short[frames];
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int ch = 0; ch < channels; ch++) {
        sum += sampleAt(buf, offset + f * frameBytes + ch * bytesPerSample, format, bits);
      }
      out[f] = Resampler.clip(sum / channels);
    }
    return new Pcm(rate, out);
  }

  private static double sampleAt(ByteBuffer buf, int at, int format, int bits) {
    return switch (format) {
      case FORMAT_ULAW -> G711.ulawToLinear(buf.get(at));
      case FORMAT_ALAW -> G711.alawToLinear(buf.get(at));
      case -8 -> buf.get(at) << 8;
      case FORMAT_FLOAT -> (bits == 32 ? buf.getFloat(at) : buf.getDouble(at)) * 32767.0;
      default -> switch (bits) {
        case 8 -> ((buf.get(at) & 0xFF) - 128) << 8;
        case 16 -> buf.getShort(at);
        case 24 -> int24(buf, at) >> 8;
        default -> buf.getInt(at) >> 16;
      };
    };
  }

  private static int int24(ByteBuffer buf, int at) {
    int b0 = buf.get(at) & 0xFF;
    int b1 = buf.get(at + 1) & 0xFF;
    int b2 = buf.get(at + 2);
    return buf.order() == ByteOrder.LITTLE_ENDIAN
        ? (b2 << 16) | (b1 << 8) | b0
        : ((buf.get(at) << 16) | (b1 << 8) | (buf.get(at + 2) & 0xFF));
  }

  private static String ascii(byte[] data, int at) {
    return new String(data, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
