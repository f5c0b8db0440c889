package org.switchboard.http.audio;

/** ITU-T G.711 µ-law and A-law codecs (16-bit linear PCM ↔ 8-bit companded). */
public final class G711 {

  private static final int ULAW_BIAS = 0x84;
  private static final int ULAW_CLIP = 32635;
  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];
  private static final int[] ALAW_SEGMENT_END = {
    0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF
  };

  /** µ-law byte of digital silence. */
  public static final byte ULAW_SILENCE = (byte) 0xFF;

  static {
    for (int i = 0; i < 256; i++) {
      ULAW_TO_LINEAR[i] = decodeUlawSlow(i);
      ALAW_TO_LINEAR[i] = decodeAlawSlow(i);
    }
  }

  private G711() {}

  /** Encodes one linear sample to µ-law. */
  public static byte linearToUlaw(int sample) {
    int pcm = sample;
    int sign = (pcm >> 8) & 0x80;
    if (sign != 0) {
      pcm = -pcm;
    }
    if (pcm > ULAW_CLIP) {
      pcm = ULAW_CLIP;
    }
    pcm += ULAW_BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (pcm >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  /** Decodes one µ-law byte. */
  public static short ulawToLinear(byte ulaw) {
    return ULAW_TO_LINEAR[ulaw & 0xFF];
  }

  /** Encodes one linear sample to A-law. */
  public static byte linearToAlaw(int sample) {
    int pcm = sample >> 3;
    int mask;
    if (pcm >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      pcm = -pcm - 1;
    }
    int seg = 0;
    while (seg < 8 && pcm > ALAW_SEGMENT_END[seg]) {
      seg++;
    }
    if (seg >= 8) {
      return (byte) (0x7F ^ mask);
    }
    int aval = seg << 4;
    aval |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
    return (byte) (aval ^ mask);
  }

  /** Decodes one A-law byte. */
  public static short alawToLinear(byte alaw) {
    return ALAW_TO_LINEAR[alaw & 0xFF];
  }

  /** Decodes a µ-law buffer. */
  public static short[] decodeUlaw(byte[] ulaw, int offset, int length) {
    short[] out = new short[length];
    for (int i = 0; i < length; i++) {
      out[i] = ULAW_TO_LINEAR[ulaw[offset + i] & 0xFF];
    }
    return out;
  }

  /** Encodes linear samples to µ-law. */
  public static byte[] encodeUlaw(short[] samples) {
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = linearToUlaw(samples[i]);
    }
    return out;
  }

  private static short decodeUlawSlow(int value) {
    int u = ~value & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int sample = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
    return (short) (sign != 0 ? -sample : sample);
  }

  private static short decodeAlawSlow(int value) {
    int a = (value ^ 0x55) & 0xFF;
    int t = (a & 0x0F) << 4;
    int seg = (a & 0x70) >> 4;
    if (seg == 0) {
      t += 8;
    } else {
      t += 0x108;
      t <<= seg - 1;
    }
    return (short) ((a & 0x80) != 0 ? t : -t);
  }
}
