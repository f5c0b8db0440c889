package org.switchboard.asterisk.sim;

/** G.711 encoders for the simulated RTP audio. */
final class G711 {
  private G711() {}

  static byte ulaw(short sample) {
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    s = Math.min(s, 32635) + 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  static byte alaw(short sample) {
    int s = sample;
    int sign = s >= 0 ? 0x80 : 0;
    if (sign == 0) {
      s = -s - 1;
    }
    s = Math.min(s, 32767);
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = exponent == 0 ? (s >> 4) & 0x0F : (s >> (exponent + 3)) & 0x0F;
    return (byte) ((sign | (exponent << 4) | mantissa) ^ 0x55);
  }
}
